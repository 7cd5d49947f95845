package dev.flotilla.cli;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code flotilla app wait} waits for, with {@code argocd app wait}'s rules: without any flag,
 * sync, health and the operation; {@code --health}, {@code --suspended} and {@code --degraded}
 * together name the health states that count (Healthy, Suspended, Degraded).
 *
 * @param sync Synced, for the Application's current generation (a status of an older spec would end
 *     the wait before the agent saw the change)
 * @param health Healthy is one of the states that count
 * @param operation no sync operation runs
 * @param suspended Suspended is one of the states that count
 * @param degraded Degraded is one of the states that count
 */
record WaitConditions(
    boolean sync, boolean health, boolean operation, boolean suspended, boolean degraded) {

  /** The flags as given; none at all means Argo CD's default: sync, health and operation. */
  static WaitConditions of(
      boolean sync, boolean health, boolean operation, boolean suspended, boolean degraded) {
    if (!sync && !health && !operation && !suspended && !degraded) {
      return new WaitConditions(true, true, true, false, false);
    }
    return new WaitConditions(sync, health, operation, suspended, degraded);
  }

  /** The health states that end the wait, in the order messages name them; empty: any. */
  List<String> wantedHealth() {
    List<String> states = new ArrayList<>();
    if (health) {
      states.add("Healthy");
    }
    if (suspended) {
      states.add("Suspended");
    }
    if (degraded) {
      states.add("Degraded");
    }
    return states;
  }

  /**
   * What {@code app} (the REST API's JSON of one Application) does not meet yet, one phrase each,
   * e.g. {@code "sync is OutOfSync (want Synced)"}; empty when the wait is over for it.
   */
  List<String> unmet(JsonObject app) {
    List<String> unmet = new ArrayList<>();
    if (sync) {
      String status = app.getString("syncStatus", "Unknown");
      long generation = number(app, "generation");
      long reported = number(app, "statusGeneration");
      if (!"Synced".equals(status)) {
        unmet.add("sync is " + status + " (want Synced)");
      } else if (reported < generation) {
        unmet.add(
            "sync status is of generation "
                + reported
                + ", not the current "
                + generation
                + " (the agent has not reported the newest spec yet)");
      }
    }
    List<String> wanted = wantedHealth();
    String health = app.getString("health", "Unknown");
    if (!wanted.isEmpty() && !wanted.contains(health)) {
      unmet.add("health is " + health + " (want " + String.join(" or ", wanted) + ")");
    }
    JsonObject op = app.getJsonObject("operationState");
    if (operation && op != null && running(op.getString("phase", ""))) {
      String message = op.getString("message", "");
      unmet.add(
          "operation is "
              + op.getString("phase")
              + (message.isEmpty() ? "" : " (" + message + ")"));
    }
    if (!unmet.isEmpty() && app.getString("dispatchError") != null) {
      unmet.add("not dispatched: " + app.getString("dispatchError"));
    }
    return unmet;
  }

  /** The phases of an operation that has not ended (as the control plane names them). */
  static boolean running(String phase) {
    return phase.equals("Running") || phase.equals("Terminating");
  }

  private static long number(JsonObject app, String field) {
    Object value = app.getValue(field);
    return value instanceof Number n ? n.longValue() : 0;
  }
}
