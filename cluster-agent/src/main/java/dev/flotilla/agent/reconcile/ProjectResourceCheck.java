package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ResourceTypes;
import dev.flotilla.core.project.ResourcePermissions;
import dev.flotilla.core.project.ResourcePermissions.Scope;
import dev.flotilla.core.project.ResourceRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The AppProject's resource-kind rules applied to a rendered desired state, before a sync writes
 * anything: every object must be permitted, or nothing is applied (as Argo CD fails the whole sync
 * with "resource :Namespace is not permitted in project ...").
 *
 * <p>The scope of a kind comes from {@link ResourceTypes}; a kind it cannot place is placed by a
 * CustomResourceDefinition rendered alongside (an Application that ships its CRD and the first
 * custom resources together), and otherwise stays unknown, in which case the object must be
 * permitted both as a cluster-scoped and as a namespaced resource. The cluster is asked first so
 * that a rendered CRD cannot redefine the scope of a kind the cluster already serves.
 *
 * <p>A namespaced object must also be in a namespace the project's destinations permit on this
 * cluster (its own {@code metadata.namespace}, or the destination namespace it was given), so that
 * a manifest cannot escape its project by naming another namespace, as Argo CD checks with
 * "namespace X is not permitted in project 'P'". A Namespace object itself is cluster-scoped and
 * judged by the kind rules only; an object of unknown scope is checked both ways.
 *
 * <p>The decision itself is {@link ResourcePermissions}' in core, the same class the control plane
 * validates projects with; this class only places each rendered object (its scope) and collects.
 */
final class ProjectResourceCheck {

  /** One object the project does not permit, with the reason (which names project and rule). */
  record Violation(ObjectKey key, String message) {}

  private ProjectResourceCheck() {}

  /**
   * @param namespaceToCreate the destination namespace when the sync would create it
   *     (CreateNamespace=true and it does not exist yet): creating it needs the project's
   *     permission too
   */
  static List<Violation> violations(
      AppSpec app, DesiredState state, ResourceTypes types, Optional<String> namespaceToCreate) {
    if (app.resourceRules() == null) {
      return List.of();
    }
    ResourceRules rules = ResourceRulesMessages.fromMessage(app.resourceRules());
    List<Violation> out = new ArrayList<>();
    if (namespaceToCreate.isPresent()) {
      ObjectKey ns = new ObjectKey("", "v1", "Namespace", "", namespaceToCreate.get());
      ResourcePermissions.violation(rules, "", "Namespace", "", ns.name(), Scope.CLUSTER)
          .ifPresent(m -> out.add(new Violation(ns, m + " (needed by CreateNamespace=true)")));
    }
    Map<String, Scope> rendered = renderedDefinitions(state);
    List<ObjectKey> keys = new ArrayList<>(state.objects().keySet());
    // Hooks are written to the cluster too: the project must permit them (name may be generated).
    for (ObjectNode hook : state.hooks()) {
      ObjectKey k = ObjectKey.of(hook);
      String generateName = hook.path("metadata").path("generateName").asText("") + "*";
      keys.add(
          k.name().isEmpty()
              ? new ObjectKey(k.group(), k.version(), k.kind(), k.namespace(), generateName)
              : k);
    }
    for (ObjectKey key : keys) {
      Scope scope = types.scope(key.type());
      if (scope == Scope.UNKNOWN) {
        scope = rendered.getOrDefault(key.group() + "/" + key.kind(), Scope.UNKNOWN);
      }
      // Preparing the desired state gave every namespaced object its effective namespace; an
      // object of unknown scope with none would be written cluster-scoped.
      ResourcePermissions.violation(
              rules, key.group(), key.kind(), key.namespace(), key.name(), scope)
          .ifPresent(m -> out.add(new Violation(key, m)));
    }
    return out;
  }

  /** Scopes of the kinds defined by CustomResourceDefinitions in the render, by "group/kind". */
  private static Map<String, Scope> renderedDefinitions(DesiredState state) {
    Map<String, Scope> out = new HashMap<>();
    for (Map.Entry<ObjectKey, ObjectNode> e : state.objects().entrySet()) {
      ObjectKey key = e.getKey();
      if (!key.group().equals("apiextensions.k8s.io")
          || !key.kind().equals("CustomResourceDefinition")) {
        continue;
      }
      var spec = e.getValue().path("spec");
      String group = spec.path("group").asText("");
      String kind = spec.path("names").path("kind").asText("");
      String scope = spec.path("scope").asText("");
      if (!group.isEmpty() && !kind.isEmpty() && !scope.isEmpty()) {
        out.put(group + "/" + kind, scope.equals("Cluster") ? Scope.CLUSTER : Scope.NAMESPACED);
      }
    }
    return out;
  }
}
