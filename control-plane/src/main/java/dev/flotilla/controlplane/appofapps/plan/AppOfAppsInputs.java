package dev.flotilla.controlplane.appofapps.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one App of Apps plan is decided from.
 *
 * @param parent the parent Application's name
 * @param parentProject the parent's project ({@code default} when it names none)
 * @param renderError why the parent's manifests could not be read (Git, YAML, Helm, Kustomize), or
 *     empty when {@code desired} is what they declare
 * @param desired the children the manifests declare, in manifest order
 * @param owned the children the parent owns now
 * @param ownedElsewhere for desired children whose name is taken by an object this parent does not
 *     own: who has it (e.g. {@code ApplicationSet 'web'}, {@code nobody: made by hand})
 * @param permissions the parent project's resource rules for each child kind
 * @param prune whether the parent prunes now (automated prune, or a sync with prune)
 * @param allowEmpty whether the parent explicitly allows deleting every child at once
 */
public record AppOfAppsInputs(
    String parent,
    String parentProject,
    Optional<String> renderError,
    List<DesiredChild> desired,
    List<ExistingChild> owned,
    Map<ChildKey, String> ownedElsewhere,
    ParentPermissions permissions,
    boolean prune,
    boolean allowEmpty) {

  public AppOfAppsInputs {
    desired = List.copyOf(desired);
    owned = List.copyOf(owned);
    ownedElsewhere = Map.copyOf(ownedElsewhere);
  }
}
