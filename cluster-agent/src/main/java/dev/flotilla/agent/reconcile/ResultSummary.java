package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.health.Health;
import dev.flotilla.agent.reconcile.health.HealthAssessor;
import dev.flotilla.agent.reconcile.plan.SyncPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns what a reconcile saw (desired, live, orphans) into its result: one line per object, the
 * Application's sync state and its worst health.
 */
final class ResultSummary {

  private final HealthAssessor health;

  ResultSummary(HealthAssessor health) {
    this.health = health;
  }

  Health health(ObjectNode live) {
    return health.assess(live);
  }

  ReconcileResult summarise(
      DesiredState state,
      Map<ObjectKey, ObjectNode> live,
      List<ObjectNode> orphans,
      String message,
      boolean failed,
      Map<ObjectKey, String> errors) {
    List<ResourceLine> lines = new ArrayList<>();
    boolean synced = orphans.isEmpty();
    Health worst = Health.HEALTHY;
    for (ObjectNode want : state.objects().values()) {
      ObjectKey key = ObjectKey.of(want);
      ObjectNode have = live.get(key);
      Health h = health.assess(have);
      String owner = have == null ? null : SyncPlanner.ownerOf(have);
      boolean foreign = owner != null && !owner.equals(state.app().name());
      boolean inSync =
          have != null
              && !foreign
              && ApplicationReconciler.differences(state.app(), want, have).isEmpty();
      synced &= inSync;
      if (h.isWorseThan(worst)) {
        worst =
            new Health(
                h.status(),
                key + ": " + (h.message().isEmpty() ? h.status().label() : h.message()));
      }
      String msg =
          errors.containsKey(key)
              ? errors.get(key)
              : foreign ? "owned by application '" + owner + "'" : h.message();
      lines.add(new ResourceLine(key, inSync ? SyncState.SYNCED : SyncState.OUT_OF_SYNC, h, msg));
    }
    for (ObjectNode orphan : orphans) {
      boolean protectedFromPrune = SyncPlanner.syncOptionsOf(orphan).isFalse("Prune");
      lines.add(
          new ResourceLine(
              ObjectKey.of(orphan),
              SyncState.OUT_OF_SYNC,
              health.assess(orphan),
              protectedFromPrune ? "ignored for pruning (Prune=false)" : "requires pruning"));
    }
    return new ReconcileResult(
        synced ? SyncState.SYNCED : SyncState.OUT_OF_SYNC,
        worst.status(),
        worst.isHealthy() ? "" : worst.message(),
        message,
        failed,
        lines);
  }

  /** Why not every one of {@code objects} is healthy as {@code live} has them, if so. */
  java.util.Optional<String> firstUnhealthy(
      List<ObjectNode> objects, Map<ObjectKey, ObjectNode> live) {
    for (ObjectNode obj : objects) {
      ObjectKey key = ObjectKey.of(obj);
      Health h = health.assess(live.get(key));
      if (!h.isHealthy()) {
        return java.util.Optional.of(
            key + " is " + h.status().label() + (h.message().isEmpty() ? "" : ": " + h.message()));
      }
    }
    return java.util.Optional.empty();
  }
}
