package dev.flotilla.core.model;

import dev.flotilla.core.time.Durations;
import java.time.Duration;

/**
 * Argo CD's {@code syncPolicy.retry.backoff}. The durations are kept as written (Go durations such
 * as {@code 5s}, {@code 3m}); the parser has checked that {@link Durations} reads them.
 *
 * @param duration null when absent
 * @param factor null when absent
 * @param maxDuration null when absent
 */
public record Backoff(String duration, Long factor, String maxDuration) {

  public Duration durationOr(Duration fallback) {
    return duration == null ? fallback : Durations.parse(duration);
  }

  public Duration maxDurationOr(Duration fallback) {
    return maxDuration == null ? fallback : Durations.parse(maxDuration);
  }
}
