package dev.flotilla.agent.git;

import java.time.Duration;

/**
 * Bounds on what one repository may cost the agent, so that a slow or hostile repository fails with
 * a clear error instead of hanging a worker or filling the disk.
 *
 * @param timeout how long a clone or fetch may wait for the Git server to answer (connect and every
 *     read); whole seconds, at least one
 * @param maxCheckoutBytes the most bytes of file content one checkout may write
 * @param maxCheckoutFiles the most files and symlinks one checkout may write
 */
public record GitLimits(Duration timeout, long maxCheckoutBytes, long maxCheckoutFiles) {

  /** 60 s without an answer, 512 MiB and 100,000 files per checkout. */
  public static final GitLimits DEFAULTS =
      new GitLimits(Duration.ofSeconds(60), 512L << 20, 100_000);

  public GitLimits {
    if (timeout == null || timeout.toSeconds() < 1) {
      throw new IllegalArgumentException("Git timeout must be at least one second, not " + timeout);
    }
    if (maxCheckoutBytes < 1 || maxCheckoutFiles < 1) {
      throw new IllegalArgumentException(
          "checkout limits must be positive, not "
              + maxCheckoutBytes
              + " bytes and "
              + maxCheckoutFiles
              + " files");
    }
  }

  /** The timeout as JGit takes it. */
  int timeoutSeconds() {
    return (int) Math.min(Integer.MAX_VALUE, timeout.toSeconds());
  }
}
