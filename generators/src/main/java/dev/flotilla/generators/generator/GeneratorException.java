package dev.flotilla.generators.generator;

/** A generator as a whole cannot produce parameters (bad spec, unreadable input). */
public class GeneratorException extends Exception {
  private final String location;

  public GeneratorException(String location, String message) {
    super(message);
    this.location = location;
  }

  public GeneratorException(String location, String message, Throwable cause) {
    super(message, cause);
    this.location = location;
  }

  /** Where in the ApplicationSet, e.g. {@code spec.generators[1].git.repoURL}. */
  public String location() {
    return location;
  }
}
