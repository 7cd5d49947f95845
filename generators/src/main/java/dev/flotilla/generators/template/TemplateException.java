package dev.flotilla.generators.template;

/** A template could not be parsed or executed with the given parameters. */
public class TemplateException extends Exception {
  public TemplateException(String message) {
    super(message);
  }

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
