package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The reconnect delays, with the jitter's range made visible instead of random. */
class ReconnectBackoffTest {

  private final List<String> ranges = new ArrayList<>();

  /** Records the range it was offered and picks its top, so the cap is what comes back. */
  private final ReconnectBackoff.Jitter highest =
      (lo, hi) -> {
        ranges.add(lo + ".." + hi);
        return hi;
      };

  @Test
  void doublesFromTheInitialDelayUpToTheMaximumWithinHalfToFull() {
    ReconnectBackoff backoff =
        new ReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(1000), highest);

    List<Long> delays = IntStream.range(0, 6).mapToObj(i -> backoff.nextDelayMillis()).toList();

    assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    assertThat(ranges).startsWith("50..100", "100..200", "200..400").endsWith("500..1000");
  }

  @Test
  void resetStartsAgainFromTheInitialDelay() {
    ReconnectBackoff backoff =
        new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(30), highest);
    backoff.nextDelayMillis();
    backoff.nextDelayMillis();

    backoff.reset();

    assertThat(backoff.nextDelayMillis()).isEqualTo(100L);
  }

  @Test
  void manyFailuresNeitherOverflowNorExceedTheMaximum() {
    ReconnectBackoff backoff =
        new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), highest);

    long last = 0;
    for (int i = 0; i < 100; i++) {
      last = backoff.nextDelayMillis();
    }

    assertThat(last).isEqualTo(30_000L);
  }

  @Test
  void theRandomJitterStaysWithinItsRange() {
    for (int i = 0; i < 100; i++) {
      assertThat(ReconnectBackoff.RANDOM.between(50, 100)).isBetween(50L, 100L);
    }
  }
}
