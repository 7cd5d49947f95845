package dev.flotilla.agent.reconcile.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.agent.reconcile.health.Health;
import dev.flotilla.agent.reconcile.health.HealthState;

/**
 * Whether a live hook object has finished: a Job when its Complete or Failed condition is true, a
 * Pod when its phase is Succeeded or Failed, any other kind when it is healthy (degraded: failed),
 * as Argo CD judges hooks.
 *
 * @param state running, succeeded or failed
 * @param message why, from the object's status where it says
 */
public record HookCompletion(State state, String message) {

  /** A hook's progress; Argo CD's hookPhase Running / Succeeded / Failed. */
  public enum State {
    RUNNING("Running"),
    SUCCEEDED("Succeeded"),
    FAILED("Failed");

    private final String label;

    State(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * @param live the hook object as read now
   * @param health its health, for kinds other than Job and Pod
   */
  public static HookCompletion of(JsonNode live, Health health) {
    String apiVersion = live.path("apiVersion").asText("");
    String kind = live.path("kind").asText("");
    if (kind.equals("Job") && apiVersion.startsWith("batch/")) {
      for (JsonNode c : live.path("status").path("conditions")) {
        if (!"True".equals(c.path("status").asText())) {
          continue;
        }
        switch (c.path("type").asText()) {
          case "Complete":
            return new HookCompletion(State.SUCCEEDED, c.path("message").asText("Job completed"));
          case "Failed":
            String why = c.path("message").asText("");
            why = why.isEmpty() ? c.path("reason").asText("") : why;
            return new HookCompletion(
                State.FAILED, why.isEmpty() ? "Job failed" : "Job failed: " + why);
          default:
            break;
        }
      }
      return new HookCompletion(State.RUNNING, "Job is running");
    }
    if (kind.equals("Pod") && apiVersion.equals("v1")) {
      JsonNode status = live.path("status");
      return switch (status.path("phase").asText("")) {
        case "Succeeded" -> new HookCompletion(State.SUCCEEDED, "Pod succeeded");
        case "Failed" ->
            new HookCompletion(State.FAILED, status.path("message").asText("Pod failed"));
        default -> new HookCompletion(State.RUNNING, "Pod is " + phaseOf(status));
      };
    }
    if (health.status() == HealthState.HEALTHY) {
      return new HookCompletion(State.SUCCEEDED, health.message());
    }
    if (health.status() == HealthState.DEGRADED) {
      return new HookCompletion(State.FAILED, health.message());
    }
    return new HookCompletion(
        State.RUNNING, health.message().isEmpty() ? health.status().label() : health.message());
  }

  private static String phaseOf(JsonNode status) {
    String phase = status.path("phase").asText("");
    return phase.isEmpty() ? "pending" : phase.toLowerCase(java.util.Locale.ROOT);
  }

  public boolean finished() {
    return state != State.RUNNING;
  }
}
