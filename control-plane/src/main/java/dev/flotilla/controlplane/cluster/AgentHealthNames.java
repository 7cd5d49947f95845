package dev.flotilla.controlplane.cluster;

import dev.flotilla.proto.agent.v1.AgentHealthState;

/** How an agent's health reads in the API, the CLI and the database. */
public final class AgentHealthNames {

  public static final String OK = "OK";
  public static final String DEGRADED = "Degraded";
  public static final String WEDGED = "Wedged";
  public static final String UNKNOWN = "Unknown";

  private AgentHealthNames() {}

  public static String of(AgentHealthState state) {
    return switch (state) {
      case AGENT_HEALTH_STATE_OK -> OK;
      case AGENT_HEALTH_STATE_DEGRADED -> DEGRADED;
      case AGENT_HEALTH_STATE_WEDGED -> WEDGED;
      default -> UNKNOWN;
    };
  }
}
