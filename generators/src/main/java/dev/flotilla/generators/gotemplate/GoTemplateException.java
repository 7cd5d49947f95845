package dev.flotilla.generators.gotemplate;

/** A Go template failed to parse or execute; the message follows Go's wording where it can. */
public class GoTemplateException extends Exception {
  public GoTemplateException(String message) {
    super(message);
  }

  public GoTemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
