package dev.flotilla.agent.reconcile.plan;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The hooks of one sync operation, phase by phase, each phase wave by wave in ascending order.
 *
 * @param operationId the operation the hook names and annotations were made for
 * @param phases the waves of each phase that has hooks
 */
public record HookPlan(String operationId, Map<HookPhase, List<HookWave>> phases) {

  public HookPlan {
    EnumMap<HookPhase, List<HookWave>> copy = new EnumMap<>(HookPhase.class);
    phases.forEach((p, w) -> copy.put(p, List.copyOf(w)));
    phases = java.util.Collections.unmodifiableMap(copy);
  }

  /** The waves of {@code phase}, ascending; empty when it has no hooks. */
  public List<HookWave> waves(HookPhase phase) {
    return phases.getOrDefault(phase, List.of());
  }

  /** Every planned hook, phase by phase, wave by wave. */
  public List<PlannedHook> all() {
    return phases.values().stream().flatMap(List::stream).flatMap(w -> w.hooks().stream()).toList();
  }

  public boolean isEmpty() {
    return phases.isEmpty();
  }
}
