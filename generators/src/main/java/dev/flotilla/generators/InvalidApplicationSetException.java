package dev.flotilla.generators;

import java.util.List;

/** The ApplicationSet document itself is unusable (malformed YAML, missing or wrong fields). */
public class InvalidApplicationSetException extends Exception {
  private final List<GenerationError> errors;

  public InvalidApplicationSetException(String message) {
    super(message);
    this.errors = List.of(new GenerationError("", message));
  }

  public InvalidApplicationSetException(String message, Throwable cause) {
    super(message, cause);
    this.errors = List.of(new GenerationError("", message));
  }

  /** One exception for several problems, each naming where it is. */
  public InvalidApplicationSetException(List<GenerationError> errors) {
    super(summary(errors));
    this.errors = List.copyOf(errors);
  }

  /** Every problem found, each with its location in the document. */
  public List<GenerationError> errors() {
    return errors;
  }

  private static String summary(List<GenerationError> errors) {
    StringBuilder message = new StringBuilder("invalid ApplicationSet: ");
    for (int i = 0; i < errors.size(); i++) {
      if (i > 0) {
        message.append("; ");
      }
      message.append(errors.get(i));
    }
    return message.toString();
  }
}
