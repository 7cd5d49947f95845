package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one Application wants live, as last rendered: each object exactly as the agent applies it
 * (namespace defaulted, tracking labels and annotations added). Immutable; shared with the drift
 * watcher.
 *
 * @param objects the resources, compared, healed and pruned as usual
 * @param hooks the resource hooks, run by a sync in their phases and never compared, healed or
 *     pruned as resources; a hook may still lack its name (generateName), which each sync operation
 *     chooses ({@link dev.flotilla.agent.reconcile.plan.HookPlanner})
 * @param skipped objects Git still holds but marks {@code argocd.argoproj.io/hook: Skip} (or as a
 *     hook no sync runs): never applied, and a live one is not pruned either, as in Argo CD
 */
public record DesiredState(
    AppSpec app,
    String revision,
    Map<ObjectKey, ObjectNode> objects,
    List<ObjectNode> hooks,
    Set<ObjectKey> skipped) {

  public DesiredState {
    objects = Collections.unmodifiableMap(new LinkedHashMap<>(objects));
    hooks = List.copyOf(hooks);
    skipped = Set.copyOf(skipped);
  }

  /** A desired state without hooks. */
  public DesiredState(AppSpec app, String revision, Map<ObjectKey, ObjectNode> objects) {
    this(app, revision, objects, List.of(), Set.of());
  }

  /** True when {@code live} is an object this state neither applies nor lets be pruned. */
  public boolean skips(ObjectNode live) {
    return skipped.contains(ObjectKey.of(live));
  }
}
