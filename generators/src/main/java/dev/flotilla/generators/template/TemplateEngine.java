package dev.flotilla.generators.template;

/** Compiles template strings: fasttemplate (Argo's default) or Go text/template. */
public interface TemplateEngine {

  StringTemplate compile(String text) throws TemplateException;

  /** Whether parameters are nested maps (goTemplate) rather than flat dotted strings. */
  boolean nestedParams();
}
