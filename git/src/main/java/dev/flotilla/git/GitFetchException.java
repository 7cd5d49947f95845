package dev.flotilla.agent.git;

/** A repository or revision could not be fetched or read; the message says which and why. */
public class GitFetchException extends Exception {
  public GitFetchException(String message) {
    super(message);
  }

  public GitFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
