package dev.flotilla.controlplane.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The UI's templates, compiled to classes at build time by the jte Maven plugin (src/main/jte):
 * rendering is a method call, every expression is escaped for where it lands (text, attribute,
 * URL), and a template that does not type-check fails the build.
 */
public final class UiTemplates {

  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  public String render(String template, Object model) {
    StringOutput out = new StringOutput();
    engine.render(template, model, out);
    return out.toString();
  }

  public String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    engine.render(template, params, out);
    return out.toString();
  }
}
