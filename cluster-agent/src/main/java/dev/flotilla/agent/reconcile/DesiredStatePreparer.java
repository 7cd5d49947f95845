package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ResourceTypes;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.agent.reconcile.plan.HookAnnotations;
import dev.flotilla.agent.reconcile.plan.HookSpec;
import dev.flotilla.core.digest.Digests;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The render step's last part: rendered objects become the objects the agent applies. */
final class DesiredStatePreparer {

  private final ResourceTypes types;

  DesiredStatePreparer(ResourceTypes types) {
    this.types = types;
  }

  /**
   * Turns rendered objects into what is applied: namespace defaulted for namespaced kinds (and
   * dropped for cluster-scoped ones), status dropped, tracking labels and annotations added, and
   * the last-applied record written. Resource hooks are set apart ({@link DesiredState#hooks()});
   * {@code Skip} and hooks no sync runs (Helm test hooks, ...) are dropped.
   */
  DesiredState prepare(AppSpec app, String revision, List<ObjectNode> rendered) {
    String defaultNamespace =
        app.destination().namespace().isEmpty() ? "default" : app.destination().namespace();
    Map<ObjectKey, ObjectNode> objects = new LinkedHashMap<>();
    List<ObjectNode> hooks = new ArrayList<>();
    Set<ObjectKey> skipped = new HashSet<>();
    for (ObjectNode source : rendered) {
      HookSpec hook = HookAnnotations.classify(source);
      if (hook.role() == HookSpec.Role.SKIP || hook.role() == HookSpec.Role.NOT_RUN) {
        skipped.add(skippedKey(app, source)); // never applied by a sync, as in Argo CD
        continue;
      }
      ObjectNode obj = source.deepCopy();
      obj.remove("status");
      ObjectNode meta = obj.with("metadata");
      meta.remove(
          List.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"));
      ObjectKey key = ObjectKey.of(obj);
      if (types.namespaced(key.type())) {
        if (meta.path("namespace").asText("").isEmpty()) {
          meta.put("namespace", defaultNamespace);
        }
      } else {
        meta.remove("namespace");
      }
      key = ObjectKey.of(obj);
      SyncOrder.wave(obj); // validates the annotation up front
      meta.with("labels")
          .put(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY_VALUE)
          .put(Tracking.APP_LABEL, Tracking.appLabelValue(app.name()));
      if (hook.isHook()) {
        // Named, tracked and marked per sync operation by the HookPlanner.
        hooks.add(obj);
        continue;
      }
      ObjectNode annotations = meta.with("annotations");
      annotations.remove(Tracking.LAST_APPLIED);
      annotations.put(Tracking.TRACKING_ID, Tracking.trackingId(app.name(), key));
      annotations.put(Tracking.LAST_APPLIED, lastAppliedRecord(key, obj));
      if (objects.put(key, obj) != null) {
        throw new IllegalArgumentException(key + " is rendered twice");
      }
    }
    return new DesiredState(app, revision, objects, hooks, skipped);
  }

  /** The key a skipped object would have had: its namespace defaulted as if it were applied. */
  private ObjectKey skippedKey(AppSpec app, ObjectNode source) {
    ObjectKey key = ObjectKey.of(source);
    if (!key.namespace().isEmpty() || !types.namespaced(key.type())) {
      return key;
    }
    String ns = app.destination().namespace().isEmpty() ? "default" : app.destination().namespace();
    return new ObjectKey(key.group(), key.version(), key.kind(), ns, key.name());
  }

  /**
   * The last-applied record. The merge only reads which fields it holds, never their values, so a
   * Secret's values are stored as digests: the annotation must not become a plaintext copy.
   */
  static String lastAppliedRecord(ObjectKey key, ObjectNode obj) {
    if (!key.group().isEmpty() || !key.kind().equals("Secret")) {
      return obj.toString();
    }
    ObjectNode redacted = obj.deepCopy();
    for (String field : List.of("data", "stringData")) {
      if (redacted.get(field) instanceof ObjectNode values) {
        List<String> keys = new ArrayList<>();
        values.fieldNames().forEachRemaining(keys::add);
        keys.forEach(k -> values.put(k, digest(values.get(k).asText())));
      }
    }
    return redacted.toString();
  }

  private static String digest(String value) {
    return "sha256:" + Digests.sha256Hex(value, 16);
  }
}
