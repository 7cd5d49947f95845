package dev.flotilla.git;

import java.time.Duration;

/**
 * A clone or fetch ended by a {@link GitLimits} bound: the server stopped answering for the
 * timeout, or the whole operation outlasted the deadline. Callers that word their own errors (the
 * control plane's generators) find here what ended it.
 */
public final class GitTimeoutException extends GitFetchException {

  private final String url;
  private final boolean cloning;
  private final Duration after;

  GitTimeoutException(String message, String url, boolean cloning, Duration after, Throwable e) {
    super(message, e);
    this.url = url;
    this.cloning = cloning;
    this.after = after;
  }

  /** The repository. */
  public String url() {
    return url;
  }

  /** True for a first clone, false for a fetch into an existing mirror. */
  public boolean cloning() {
    return cloning;
  }

  /** The bound that ended the operation: the timeout or the deadline. */
  public Duration after() {
    return after;
  }
}
