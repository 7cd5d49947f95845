package dev.flotilla.controlplane.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeartbeatWritesTest {

  private static final Instant T0 = Instant.parse("2026-12-05T12:00:00Z");

  private final HeartbeatWrites writes = new HeartbeatWrites();

  @Test
  void theFirstHeartbeatOfASessionIsWritten() {
    assertThat(writes.due("OK", "", T0)).isTrue();
  }

  @Test
  void theSameHealthAgainIsNotWrittenUntilTheRowWouldGoStale() {
    writes.due("OK", "", T0);
    assertThat(writes.due("OK", "", T0.plusSeconds(10))).isFalse();
    assertThat(writes.due("OK", "", T0.plus(HeartbeatWrites.REFRESH).minusSeconds(1))).isFalse();
    assertThat(writes.due("OK", "", T0.plus(HeartbeatWrites.REFRESH))).isTrue();
    assertThat(writes.due("OK", "", T0.plus(HeartbeatWrites.REFRESH).plusSeconds(10))).isFalse();
    // other replicas call an agent silent after 3 heartbeats of 10 s without a fresher row
    assertThat(HeartbeatWrites.REFRESH.plusSeconds(10))
        .isLessThan(java.time.Duration.ofSeconds(30));
  }

  @Test
  void aChangeOfHealthOrOfItsMessageIsWrittenAtOnce() {
    writes.due("OK", "", T0);
    assertThat(writes.due("Degraded", "reconcile of web running for 3m", T0.plusSeconds(10)))
        .isTrue();
    assertThat(writes.due("Degraded", "reconcile of web running for 4m", T0.plusSeconds(20)))
        .isTrue();
    assertThat(writes.due("Degraded", "reconcile of web running for 4m", T0.plusSeconds(30)))
        .isFalse();
    assertThat(writes.due("OK", "", T0.plusSeconds(40))).isTrue();
  }

  @Test
  void afterAFailedWriteTheNextHeartbeatWritesAgain() {
    writes.due("OK", "", T0);
    writes.failed();
    assertThat(writes.due("OK", "", T0.plusSeconds(10))).isTrue();
  }
}
