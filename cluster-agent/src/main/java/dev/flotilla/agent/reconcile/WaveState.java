package dev.flotilla.agent.reconcile;

import java.util.List;
import java.util.Optional;

/**
 * How far a sync got through its waves.
 *
 * @param planned the waves the plan holds, ascending
 * @param applied the waves applied in this reconcile, ascending
 * @param waitingFor the wave (or, for PruneLast, the prune step) the sync waits for to become
 *     healthy; empty when it does not wait
 */
public record WaveState(List<Integer> planned, List<Integer> applied, Optional<String> waitingFor) {

  public static final WaveState NONE = new WaveState(List.of(), List.of(), Optional.empty());

  public WaveState {
    planned = List.copyOf(planned);
    applied = List.copyOf(applied);
  }
}
