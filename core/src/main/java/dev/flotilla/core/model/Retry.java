package dev.flotilla.core.model;

import java.time.Duration;

/**
 * Argo CD's {@code syncPolicy.retry}.
 *
 * @param limit how many times a failed sync is retried; negative means without limit; null when
 *     absent
 * @param backoff null when absent
 */
public record Retry(Long limit, Backoff backoff) {

  /** {@code backoff.duration}, or {@code fallback} when absent. */
  public Duration durationOr(Duration fallback) {
    return backoff == null ? fallback : backoff.durationOr(fallback);
  }
}
