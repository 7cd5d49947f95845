package dev.flotilla.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HealthWaitsTest {

  final AtomicLong now = new AtomicLong();
  final HealthWaits waits = new HealthWaits(now::get);
  final Duration timeout = Duration.ofMinutes(2);

  void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aStepWaitsUntilTheTimeoutCountedFromItsFirstSighting() {
    assertThat(waits.expired("web", "r1 wave 0", timeout)).isFalse();
    advance(Duration.ofSeconds(119));
    assertThat(waits.expired("web", "r1 wave 0", timeout)).isFalse();
    advance(Duration.ofSeconds(2));
    assertThat(waits.expired("web", "r1 wave 0", timeout)).isTrue();
    // Expired waits are forgotten: the next sync waits afresh.
    assertThat(waits.expired("web", "r1 wave 0", timeout)).isFalse();
  }

  @Test
  void anotherStepOrRevisionStartsItsOwnWaitAndApplicationsAreApart() {
    waits.expired("web", "r1 wave 0", timeout);
    advance(Duration.ofSeconds(100));
    assertThat(waits.expired("api", "r1 wave 0", timeout)).isFalse();
    assertThat(waits.expired("web", "r1 wave 1", timeout)).isFalse();
    advance(Duration.ofSeconds(100));
    assertThat(waits.expired("web", "r1 wave 1", timeout)).isFalse();
    assertThat(waits.expired("api", "r1 wave 0", timeout)).isFalse();
    advance(Duration.ofSeconds(21));
    assertThat(waits.expired("api", "r1 wave 0", timeout)).isTrue();
  }

  @Test
  void clearingEndsTheWait() {
    waits.expired("web", "r1 wave 0", timeout);
    advance(Duration.ofMinutes(3));
    waits.clear("web");
    assertThat(waits.expired("web", "r1 wave 0", timeout)).isFalse();
  }
}
