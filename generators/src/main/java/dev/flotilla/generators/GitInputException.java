package dev.flotilla.generators;

/** A Git input (repository, revision or file) could not be read. */
public class GitInputException extends Exception {
  public GitInputException(String message) {
    super(message);
  }

  public GitInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
