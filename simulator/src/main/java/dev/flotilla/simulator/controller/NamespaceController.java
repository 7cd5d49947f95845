package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import java.time.Duration;

/**
 * Namespaces: {@code status.phase: Active}; a deleted one turns Terminating, its objects of every
 * namespaced type are deleted, and it goes when none remain. The store only honours {@code
 * metadata.finalizers}, so the {@code kubernetes} finalizer lives there (the real API server keeps
 * it in {@code spec.finalizers}).
 */
final class NamespaceController implements Reconciler {

  static final String NAME = "namespace";
  static final String FINALIZER = "kubernetes";
  private static final Duration RECHECK = Duration.ofMillis(100);

  private final ObjectStore store;
  private final StoreWriter writer;
  private final ClusterTypes types;

  NamespaceController(StoreWriter writer, ClusterTypes types) {
    this.store = writer.store();
    this.writer = writer;
    this.types = types;
  }

  @Override
  public Duration reconcile(String ignored, String name) {
    ObjectNode ns = store.get(types.namespaces(), "", name).orElse(null);
    if (ns == null) {
      return null;
    }
    if (!Meta.deleting(ns)) {
      writer.modify(
          types.namespaces(), "", name, false, n -> hasFinalizer(n) ? null : addFinalizer(n));
      writer.modify(types.namespaces(), "", name, true, n -> phase(n, "Active"));
      return null;
    }
    writer.modify(types.namespaces(), "", name, true, n -> phase(n, "Terminating"));
    int remaining = 0;
    for (ResourceType type : store.types()) {
      if (!type.namespaced()) {
        continue;
      }
      for (ObjectNode o : store.list(type, name, x -> true)) {
        remaining++;
        if (!Meta.deleting(o)) {
          writer.delete(type, name, Meta.name(o));
        }
      }
    }
    if (remaining > 0) {
      return RECHECK;
    }
    writer.modify(
        types.namespaces(),
        "",
        name,
        false,
        n -> {
          removeFinalizer(n.path("metadata"));
          removeFinalizer(n.path("spec"));
          return n;
        });
    return null;
  }

  private static ObjectNode phase(ObjectNode ns, String phase) {
    Meta.obj(ns, "status").put("phase", phase);
    return ns;
  }

  private static boolean hasFinalizer(JsonNode ns) {
    for (JsonNode f : ns.path("metadata").path("finalizers")) {
      if (FINALIZER.equals(f.asText())) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode addFinalizer(ObjectNode ns) {
    JsonNode existing = ns.path("metadata").path("finalizers");
    ArrayNode list =
        existing.isArray() ? (ArrayNode) existing : Meta.metadata(ns).putArray("finalizers");
    list.add(FINALIZER);
    Meta.obj(ns, "spec").putArray("finalizers").add(FINALIZER);
    return ns;
  }

  private static void removeFinalizer(JsonNode holder) {
    if (holder.path("finalizers") instanceof ArrayNode list) {
      for (int i = list.size() - 1; i >= 0; i--) {
        if (FINALIZER.equals(list.get(i).asText())) {
          list.remove(i);
        }
      }
    }
  }
}
