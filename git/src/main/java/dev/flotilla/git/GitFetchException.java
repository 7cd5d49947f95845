package dev.flotilla.git;

/**
 * A repository or revision could not be fetched or read, or a commit's tree was refused; the
 * message names the repository and the cause, never a secret.
 */
public class GitFetchException extends Exception {
  public GitFetchException(String message) {
    super(message);
  }

  public GitFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
