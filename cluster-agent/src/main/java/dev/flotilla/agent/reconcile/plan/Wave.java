package dev.flotilla.agent.reconcile.plan;

import java.util.List;

/**
 * The objects of one sync wave, in apply order (kind, then namespace and name).
 *
 * @param number the wave ({@code argocd.argoproj.io/sync-wave}, 0 when absent)
 * @param objects what to apply, in order
 */
public record Wave(int number, List<PlannedApply> objects) {

  public Wave {
    objects = List.copyOf(objects);
  }
}
