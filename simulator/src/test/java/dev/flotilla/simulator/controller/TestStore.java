package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.simulator.store.StoreException;
import dev.flotilla.simulator.store.WatchEvent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A deliberately simple {@link ObjectStore} for the controllers' tests, following the contract's
 * javadoc and nothing more: one lock, a TreeMap per type, synchronous watch notification.
 */
final class TestStore implements ObjectStore {

  private record Watcher(ResourceType type, Consumer<WatchEvent> listener) {}

  private final List<ResourceType> types;
  private final Map<String, TreeMap<String, ObjectNode>> objects = new HashMap<>();
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private long resourceVersion;
  private ResourceType interfereWith;
  private int interferences;
  private boolean skipNext;
  private Consumer<ObjectNode> interference;

  /**
   * Before every other status write to objects of {@code type}, {@code times} times, runs {@code
   * write} as if another client had just changed the object: that status write then meets a newer
   * resourceVersion and conflicts (the retry after it does not).
   */
  synchronized void interfereWithStatusWrites(
      ResourceType type, int times, Consumer<ObjectNode> write) {
    interfereWith = type;
    interferences = times;
    interference = write;
  }

  synchronized int interferencesLeft() {
    return interferences;
  }

  TestStore() {
    this(TestTypes.ALL);
  }

  TestStore(List<ResourceType> types) {
    this.types = List.copyOf(types);
    for (ResourceType t : types) {
      objects.put(t.groupResource(), new TreeMap<>());
    }
  }

  @Override
  public List<ResourceType> types() {
    return types;
  }

  @Override
  public Optional<ResourceType> type(String group, String name) {
    return types.stream()
        .filter(t -> t.group().equals(group))
        .filter(
            t ->
                t.plural().equals(name)
                    || t.kind().equalsIgnoreCase(name)
                    || t.shortNames().contains(name))
        .findFirst();
  }

  private static String key(String namespace, String name) {
    return (namespace == null ? "" : namespace) + "/" + name;
  }

  private TreeMap<String, ObjectNode> table(ResourceType type) {
    TreeMap<String, ObjectNode> t = objects.get(type.groupResource());
    if (t == null) {
      throw new StoreException.NotFound("the server could not find " + type.groupResource());
    }
    return t;
  }

  @Override
  public synchronized Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    return Optional.ofNullable(table(type).get(key(type.namespaced() ? namespace : "", name)))
        .map(ObjectNode::deepCopy);
  }

  @Override
  public synchronized List<ObjectNode> list(
      ResourceType type, String namespace, Predicate<ObjectNode> filter) {
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode o : table(type).values()) {
      if (namespace != null && type.namespaced() && !namespace.equals(Meta.namespace(o))) {
        continue;
      }
      if (filter.test(o)) {
        out.add(o.deepCopy());
      }
    }
    return out;
  }

  @Override
  public synchronized ObjectNode create(ResourceType type, ObjectNode object) {
    ObjectNode o = object.deepCopy();
    ObjectNode meta = Meta.metadata(o);
    String name = meta.path("name").asText("");
    if (name.isEmpty() && meta.has("generateName")) {
      name = meta.path("generateName").asText() + Meta.randomSuffix();
      meta.put("name", name);
    }
    if (name.isEmpty()) {
      throw new StoreException.Invalid(type.kind() + ": metadata.name: Required value");
    }
    String ns = meta.path("namespace").asText("");
    if (type.namespaced() && ns.isEmpty()) {
      throw new StoreException.Invalid(
          type.kind() + " " + name + ": metadata.namespace: Required value");
    }
    String k = key(type.namespaced() ? ns : "", name);
    if (table(type).containsKey(k)) {
      throw new StoreException.AlreadyExists(
          type.groupResource() + " \"" + name + "\" already exists");
    }
    o.put("apiVersion", type.apiVersion()).put("kind", type.kind());
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("resourceVersion", String.valueOf(++resourceVersion));
    meta.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    meta.put("generation", 1);
    meta.remove("deletionTimestamp");
    table(type).put(k, o);
    notify(WatchEvent.Type.ADDED, type, o);
    return o.deepCopy();
  }

  private ObjectNode current(ResourceType type, ObjectNode object) {
    String k = key(type.namespaced() ? Meta.namespace(object) : "", Meta.name(object));
    ObjectNode stored = table(type).get(k);
    if (stored == null) {
      throw new StoreException.NotFound(
          type.groupResource() + " \"" + Meta.name(object) + "\" not found");
    }
    String rv = object.path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty() && !rv.equals(stored.path("metadata").path("resourceVersion").asText())) {
      throw new StoreException.Conflict(
          "Operation cannot be fulfilled on "
              + type.groupResource()
              + " \""
              + Meta.name(object)
              + "\": the object has been modified; please apply your changes to the latest"
              + " version and try again");
    }
    return stored;
  }

  @Override
  public synchronized ObjectNode update(ResourceType type, ObjectNode object) {
    ObjectNode stored = current(type, object);
    ObjectNode o = object.deepCopy();
    ObjectNode meta = Meta.metadata(o);
    JsonNode oldMeta = stored.path("metadata");
    for (String kept : List.of("uid", "creationTimestamp", "generation", "deletionTimestamp")) {
      if (oldMeta.has(kept)) {
        meta.set(kept, oldMeta.get(kept));
      } else {
        meta.remove(kept);
      }
    }
    o.put("apiVersion", type.apiVersion()).put("kind", type.kind());
    if (stored.has("status")) {
      o.set("status", stored.get("status"));
    } else {
      o.remove("status");
    }
    if (!spec(o).equals(spec(stored))) {
      meta.put("generation", oldMeta.path("generation").asLong(1) + 1);
    }
    return write(type, o);
  }

  private static ObjectNode spec(ObjectNode o) {
    ObjectNode s = o.deepCopy();
    s.remove("metadata");
    s.remove("status");
    return s;
  }

  @Override
  public synchronized ObjectNode updateStatus(ResourceType type, ObjectNode object) {
    if (type.equals(interfereWith) && interferences > 0 && !(skipNext = !skipNext)) {
      interferences--;
      ObjectNode other = table(type).get(key(Meta.namespace(object), Meta.name(object)));
      if (other != null) {
        interference.accept(other.deepCopy());
      }
    }
    ObjectNode stored = current(type, object);
    ObjectNode o = stored.deepCopy();
    if (object.has("status")) {
      o.set("status", object.get("status").deepCopy());
    } else {
      o.remove("status");
    }
    return write(type, o);
  }

  private ObjectNode write(ResourceType type, ObjectNode o) {
    String k = key(type.namespaced() ? Meta.namespace(o) : "", Meta.name(o));
    Meta.metadata(o).put("resourceVersion", String.valueOf(++resourceVersion));
    if (Meta.deleting(o) && o.path("metadata").path("finalizers").isEmpty()) {
      table(type).remove(k);
      notify(WatchEvent.Type.DELETED, type, o);
    } else {
      table(type).put(k, o);
      notify(WatchEvent.Type.MODIFIED, type, o);
    }
    return o.deepCopy();
  }

  @Override
  public synchronized ObjectNode delete(ResourceType type, String namespace, String name) {
    String k = key(type.namespaced() ? namespace : "", name);
    ObjectNode stored = table(type).get(k);
    if (stored == null) {
      throw new StoreException.NotFound(type.groupResource() + " \"" + name + "\" not found");
    }
    if (!stored.path("metadata").path("finalizers").isEmpty()) {
      if (Meta.deleting(stored)) {
        return stored.deepCopy();
      }
      ObjectNode o = stored.deepCopy();
      Meta.metadata(o)
          .put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      return write(type, o);
    }
    table(type).remove(k);
    ObjectNode gone = stored.deepCopy();
    Meta.metadata(gone).put("resourceVersion", String.valueOf(++resourceVersion));
    notify(WatchEvent.Type.DELETED, type, gone);
    return gone.deepCopy();
  }

  @Override
  public synchronized long resourceVersion() {
    return resourceVersion;
  }

  @Override
  public AutoCloseable watch(ResourceType type, Consumer<WatchEvent> listener) {
    Watcher w = new Watcher(type, listener);
    watchers.add(w);
    return () -> watchers.remove(w);
  }

  private void notify(WatchEvent.Type kind, ResourceType type, ObjectNode o) {
    for (Watcher w : watchers) {
      if (w.type() == null || w.type().equals(type)) {
        w.listener().accept(new WatchEvent(kind, type, o.deepCopy()));
      }
    }
  }

  /** Everything of one type, for assertions. */
  List<ObjectNode> all(ResourceType type, String namespace) {
    return list(type, namespace, o -> true);
  }
}
