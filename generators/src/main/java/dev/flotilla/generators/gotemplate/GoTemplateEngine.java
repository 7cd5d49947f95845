package dev.flotilla.generators.gotemplate;

import dev.flotilla.generators.template.StringTemplate;
import dev.flotilla.generators.template.TemplateEngine;
import dev.flotilla.generators.template.TemplateException;
import java.util.List;

/** Go text/template with Argo CD's functions (Sprig minus env access, plus normalize etc.). */
public final class GoTemplateEngine implements TemplateEngine {

  private final List<String> options;

  public GoTemplateEngine(List<String> options) {
    this.options = List.copyOf(options);
  }

  @Override
  public StringTemplate compile(String text) throws TemplateException {
    throw new TemplateException("goTemplate is not supported yet");
  }

  @Override
  public boolean nestedParams() {
    return true;
  }

  public List<String> options() {
    return options;
  }
}
