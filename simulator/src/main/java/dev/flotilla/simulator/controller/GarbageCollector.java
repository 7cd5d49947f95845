package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.simulator.store.WatchEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The garbage collector: keeps a graph of owner uid → dependents from the watch stream (never
 * scanning the store after start), and when an owner disappears deletes each dependent whose owner
 * references all point to absent objects (background propagation). Foreground deletion: an owner
 * deleting with the {@code foregroundDeletion} finalizer has its dependents deleted first, then the
 * finalizer removed. The {@code orphan} policy is not simulated.
 */
final class GarbageCollector implements Reconciler {

  static final String NAME = "garbage-collector";
  static final String FOREGROUND = "foregroundDeletion";

  private record Change(
      WatchEvent.Type type,
      ResourceType resourceType,
      String uid,
      String namespace,
      String name,
      Set<String> owners,
      boolean foreground) {}

  private record Vertex(ResourceType type, String namespace, String name, Set<String> owners) {}

  private final ConcurrentLinkedQueue<Change> inbox = new ConcurrentLinkedQueue<>();
  private final Map<String, Vertex> live = new HashMap<>();
  private final Map<String, Set<String>> dependents = new HashMap<>();
  private final Set<String> foregroundOwners = new HashSet<>();
  private final StoreWriter writer;

  GarbageCollector(StoreWriter writer) {
    this.writer = writer;
  }

  /** Runs on the writer's thread: records the change, does no I/O. */
  void observe(WatchEvent event) {
    inbox.add(change(event.type(), event.resourceType(), event.object()));
  }

  /** Records every object there is now; called once at start. */
  void seed(ObjectStore store) {
    for (ResourceType type : store.types()) {
      for (ObjectNode o : store.list(type, null, x -> true)) {
        inbox.add(change(WatchEvent.Type.ADDED, type, o));
      }
    }
  }

  private static Change change(WatchEvent.Type type, ResourceType resourceType, JsonNode o) {
    Set<String> owners = new HashSet<>();
    for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
      owners.add(ref.path("uid").asText());
    }
    boolean foreground = false;
    if (Meta.deleting(o)) {
      for (JsonNode f : o.path("metadata").path("finalizers")) {
        foreground |= FOREGROUND.equals(f.asText());
      }
    }
    return new Change(
        type, resourceType, Meta.uid(o), Meta.namespace(o), Meta.name(o), owners, foreground);
  }

  @Override
  public Duration reconcile(String namespace, String name) {
    Set<String> check = new LinkedHashSet<>();
    Set<String> foreground = new LinkedHashSet<>();
    for (Change c; (c = inbox.poll()) != null; ) {
      if (c.type() == WatchEvent.Type.DELETED) {
        Vertex gone = live.remove(c.uid());
        unlink(c.uid(), gone);
        Set<String> orphans = dependents.remove(c.uid());
        if (orphans != null) {
          check.addAll(orphans);
        }
        foregroundOwners.remove(c.uid());
        for (String owner : c.owners()) {
          if (foregroundOwners.contains(owner)) {
            foreground.add(owner);
          }
        }
        continue;
      }
      Vertex vertex = new Vertex(c.resourceType(), c.namespace(), c.name(), c.owners());
      Vertex before = live.put(c.uid(), vertex);
      if (before == null || !before.owners().equals(c.owners())) {
        unlink(c.uid(), before);
        for (String owner : c.owners()) {
          dependents.computeIfAbsent(owner, k -> new HashSet<>()).add(c.uid());
        }
        if (!c.owners().isEmpty()) {
          check.add(c.uid());
        }
      }
      if (c.foreground()) {
        foregroundOwners.add(c.uid());
        foreground.add(c.uid());
      }
    }
    for (String uid : check) {
      Vertex v = live.get(uid);
      if (v != null && !v.owners().isEmpty() && v.owners().stream().noneMatch(live::containsKey)) {
        writer.delete(v.type(), v.namespace(), v.name());
      }
    }
    for (String uid : foreground) {
      deleteInForeground(uid);
    }
    return null;
  }

  private void unlink(String uid, Vertex vertex) {
    if (vertex == null) {
      return;
    }
    for (String owner : vertex.owners()) {
      Set<String> set = dependents.get(owner);
      if (set != null) {
        set.remove(uid);
        if (set.isEmpty()) {
          dependents.remove(owner);
        }
      }
    }
  }

  private void deleteInForeground(String uid) {
    Vertex owner = live.get(uid);
    if (owner == null) {
      return;
    }
    Set<String> deps = dependents.getOrDefault(uid, Set.of());
    if (deps.isEmpty()) {
      foregroundOwners.remove(uid);
      writer.modify(
          owner.type(),
          owner.namespace(),
          owner.name(),
          false,
          o -> {
            if (!uid.equals(Meta.uid(o))) {
              return null;
            }
            if (o.path("metadata").path("finalizers") instanceof ArrayNode list) {
              for (int i = list.size() - 1; i >= 0; i--) {
                if (FOREGROUND.equals(list.get(i).asText())) {
                  list.remove(i);
                }
              }
            }
            return o;
          });
      return;
    }
    for (String dep : Set.copyOf(deps)) {
      Vertex v = live.get(dep);
      if (v != null) {
        writer.delete(v.type(), v.namespace(), v.name());
      }
    }
  }
}
