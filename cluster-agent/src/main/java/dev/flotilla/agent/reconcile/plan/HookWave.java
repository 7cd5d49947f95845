package dev.flotilla.agent.reconcile.plan;

import java.util.List;

/**
 * The hooks of one wave of one phase, in apply order (kind, then namespace and name).
 *
 * @param number the wave
 * @param hooks what to run, in order
 */
public record HookWave(int number, List<PlannedHook> hooks) {

  public HookWave {
    hooks = List.copyOf(hooks);
  }
}
