package dev.flotilla.generators.template;

import java.util.Map;

/** One string of an ApplicationSet template, compiled once and rendered once per parameter set. */
public interface StringTemplate {

  /** Renders with one parameter set. */
  String render(Map<String, Object> params) throws TemplateException;

  /** True when the text holds no template action, so rendering returns it unchanged. */
  boolean isLiteral();
}
