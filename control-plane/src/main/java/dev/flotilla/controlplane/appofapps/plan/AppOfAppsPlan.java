package dev.flotilla.controlplane.appofapps.plan;

import java.util.List;

/**
 * What one evaluation of a parent changes, decided by {@link AppOfAppsPlanner}.
 *
 * @param creates children to create, projects first, then ApplicationSets, then Applications
 * @param updates owned children whose declaration changed, in the same order
 * @param prunes owned children to delete, Applications first and projects last
 * @param kept owned children gone from Git that are kept anyway (see the conditions for why)
 * @param children what the parent's children are after the plan is carried out, sorted
 * @param conditions refusals, render errors and held-back prunes, for the parent's status
 */
public record AppOfAppsPlan(
    List<DesiredChild> creates,
    List<DesiredChild> updates,
    List<ChildKey> prunes,
    List<ChildKey> kept,
    List<ChildKey> children,
    List<ParentCondition> conditions) {

  public AppOfAppsPlan {
    creates = List.copyOf(creates);
    updates = List.copyOf(updates);
    prunes = List.copyOf(prunes);
    kept = List.copyOf(kept);
    children = List.copyOf(children);
    conditions = List.copyOf(conditions);
  }

  /** Whether carrying the plan out changes no child. */
  public boolean changesNothing() {
    return creates.isEmpty() && updates.isEmpty() && prunes.isEmpty();
  }
}
