package dev.flotilla.controlplane.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which heartbeats of one agent session are written to the cluster's row. Liveness is judged in
 * memory ({@link AgentLiveness}) from every message, so the row only needs the agent's health when
 * it changes and a {@code last_seen_at} that is roughly current: writing every heartbeat cost one
 * UPDATE per agent every 10 s (100 per second at 1,000 agents) and changed nothing anyone reads.
 *
 * <p>Not thread-safe: gRPC delivers one stream's messages one at a time.
 */
final class HeartbeatWrites {

  /**
   * How stale {@code last_seen_at} may get while the agent stays the same. Other replicas judge an
   * agent connected elsewhere by this column ({@link AgentLiveness}, silent after {@value
   * AgentLiveness#MISSED_HEARTBEATS} default heartbeats of 10 s): written at most every 15 s, the
   * stored time is at most 20 s old (the next 10 s heartbeat past 15 s), well inside their 30 s.
   */
  static final Duration REFRESH = Duration.ofSeconds(15);

  private String health;
  private String message;
  private Instant writtenAt;

  /** Whether this heartbeat is to be written; if so, remembered as written. */
  boolean due(String health, String message, Instant now) {
    boolean due =
        writtenAt == null
            || !Objects.equals(this.health, health)
            || !Objects.equals(this.message, message)
            || !now.isBefore(writtenAt.plus(REFRESH));
    if (due) {
      this.health = health;
      this.message = message;
      this.writtenAt = now;
    }
    return due;
  }

  /** The write failed: the next heartbeat writes again. */
  void failed() {
    writtenAt = null;
  }
}
