package dev.flotilla.git;

import java.time.Duration;

/**
 * Bounds on what one repository may cost the agent or the control plane, so that a slow or hostile
 * repository fails with a clear error instead of hanging a worker or filling the disk.
 *
 * @param timeout how long a clone or fetch may wait for the Git server to answer (connect and every
 *     read); whole seconds, at least one
 * @param maxCheckoutBytes the most bytes of file content one checkout may write, or one snapshot
 *     may read (file names included)
 * @param maxCheckoutFiles the most files and symlinks one checkout may write, or one snapshot may
 *     list
 * @param deadline how long one clone or fetch may take in all, however steadily the server answers
 * @param maxFetchBytes the most bytes one clone or fetch may receive (the pack as sent, before it
 *     is unpacked); a larger transfer is cancelled and nothing of it kept
 */
public record GitLimits(
    Duration timeout,
    long maxCheckoutBytes,
    long maxCheckoutFiles,
    Duration deadline,
    long maxFetchBytes) {

  /** The fetch size limit of the three- and four-argument constructors: 2 GiB. */
  public static final long DEFAULT_MAX_FETCH_BYTES = 2L << 30;

  /** The deadline of the three-argument constructor. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);

  /** 60 s without an answer, 10 minutes in all, 512 MiB and 100,000 files per checkout. */
  public static final GitLimits DEFAULTS =
      new GitLimits(Duration.ofSeconds(60), 512L << 20, 100_000);

  /** With a deadline of ten minutes, or the timeout if that is longer. */
  public GitLimits(Duration timeout, long maxCheckoutBytes, long maxCheckoutFiles) {
    this(
        timeout,
        maxCheckoutBytes,
        maxCheckoutFiles,
        timeout != null && timeout.compareTo(DEFAULT_DEADLINE) > 0 ? timeout : DEFAULT_DEADLINE);
  }

  /** With a fetch size limit of {@link #DEFAULT_MAX_FETCH_BYTES}. */
  public GitLimits(
      Duration timeout, long maxCheckoutBytes, long maxCheckoutFiles, Duration deadline) {
    this(timeout, maxCheckoutBytes, maxCheckoutFiles, deadline, DEFAULT_MAX_FETCH_BYTES);
  }

  /** These limits with another fetch size limit. */
  public GitLimits withMaxFetchBytes(long bytes) {
    return new GitLimits(timeout, maxCheckoutBytes, maxCheckoutFiles, deadline, bytes);
  }

  public GitLimits {
    if (timeout == null || timeout.toSeconds() < 1) {
      throw new IllegalArgumentException("Git timeout must be at least one second, not " + timeout);
    }
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("Git deadline must be positive, not " + deadline);
    }
    if (maxFetchBytes < 1) {
      throw new IllegalArgumentException(
          "Git fetch size limit must be positive, not " + maxFetchBytes);
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

  /** "90s", or "250ms" below a second: for messages. */
  static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
