package dev.flotilla.generators.gotemplate;

import dev.flotilla.generators.template.StringTemplate;
import dev.flotilla.generators.template.TemplateEngine;
import dev.flotilla.generators.template.TemplateException;
import java.util.List;

/**
 * Go text/template (as used by Argo CD with {@code goTemplate: true}): actions, pipelines,
 * if/else/range/with/define/template/block, variables, whitespace trimming and Argo's function set.
 */
public final class GoTemplateEngine implements TemplateEngine {

  private final List<String> options;
  private final GoTemplate.MissingKey missingKey;

  /**
   * @param options Argo's {@code goTemplateOptions}, e.g. {@code missingkey=error}
   */
  public GoTemplateEngine(List<String> options) {
    this.options = List.copyOf(options);
    GoTemplate.MissingKey mode = GoTemplate.MissingKey.DEFAULT;
    for (String option : options) {
      switch (option) {
        case "missingkey=error" -> mode = GoTemplate.MissingKey.ERROR;
        case "missingkey=zero" -> mode = GoTemplate.MissingKey.ZERO;
        case "missingkey=default", "missingkey=invalid" -> mode = GoTemplate.MissingKey.DEFAULT;
        default -> throw new IllegalArgumentException("unknown goTemplateOptions entry: " + option);
      }
    }
    this.missingKey = mode;
  }

  @Override
  public StringTemplate compile(String text) throws TemplateException {
    try {
      return new GoTemplate(
          text, Parser.parse(text, Functions.INSTANCE.names()), missingKey, Functions.INSTANCE);
    } catch (GoTemplateException e) {
      throw new TemplateException("failed to parse template " + text + ": " + e.getMessage(), e);
    }
  }

  /** Parses and runs {@code text} once with {@code data} as dot; convenient for tests and tools. */
  public String execute(String text, Object data) throws TemplateException {
    try {
      return new GoTemplate(
              text, Parser.parse(text, Functions.INSTANCE.names()), missingKey, Functions.INSTANCE)
          .execute(data);
    } catch (GoTemplateException e) {
      throw new TemplateException(e.getMessage(), e);
    }
  }

  @Override
  public boolean nestedParams() {
    return true;
  }

  public List<String> options() {
    return options;
  }
}
