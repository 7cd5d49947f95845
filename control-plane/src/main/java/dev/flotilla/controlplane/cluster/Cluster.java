package dev.flotilla.controlplane.cluster;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A registered cluster as users see it; the token hash never leaves the store.
 *
 * @param agentHealth what the agent last said about itself (OK, Degraded, Wedged), or Unknown when
 *     it never did or fell silent
 * @param agentHealthMessage why, when not OK
 * @param streamProblem what its agent last reported it could not take from its stream (null: none)
 * @param streamProblemAt when it reported that
 */
public record Cluster(
    String name,
    String server,
    Map<String, String> labels,
    Map<String, String> annotations,
    OffsetDateTime createdAt,
    OffsetDateTime lastSeenAt,
    String agentVersion,
    boolean connected,
    String agentHealth,
    String agentHealthMessage,
    String streamProblem,
    OffsetDateTime streamProblemAt) {

  /** A cluster whose agent never reported its health. */
  public Cluster(
      String name,
      String server,
      Map<String, String> labels,
      Map<String, String> annotations,
      OffsetDateTime createdAt,
      OffsetDateTime lastSeenAt,
      String agentVersion,
      boolean connected) {
    this(
        name,
        server,
        labels,
        annotations,
        createdAt,
        lastSeenAt,
        agentVersion,
        connected,
        AgentHealthNames.UNKNOWN,
        "",
        null,
        null);
  }
}
