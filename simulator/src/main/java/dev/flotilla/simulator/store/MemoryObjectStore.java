package dev.flotilla.simulator.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-memory {@link ObjectStore}: one {@link TypeBucket} per served type (namespace → sorted
 * names, plus a label index), a single resourceVersion counter, and a bounded history of writes so
 * a watch can resume from a recent resourceVersion. One lock orders every write and its
 * notifications; a listener that writes from inside a notification has its events queued behind the
 * current ones, so every listener sees writes in resourceVersion order.
 *
 * <p>At start it holds the namespaces a fresh cluster has: default, kube-system, kube-public,
 * kube-node-lease.
 */
public final class MemoryObjectStore implements ObjectStore {

  private static final Logger LOG = LoggerFactory.getLogger(MemoryObjectStore.class);
  private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  public static final List<String> INITIAL_NAMESPACES =
      List.of("default", "kube-system", "kube-public", "kube-node-lease");

  private record Watcher(String typeKey, Consumer<WatchEvent> listener) {}

  private final ReentrantLock lock = new ReentrantLock();
  private volatile boolean createMissingNamespaces;
  private final Clock clock;
  private final int historyLimit;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, ResourceType> types = new LinkedHashMap<>();
  private final Map<String, TypeBucket> buckets = new LinkedHashMap<>();
  private final ArrayDeque<WatchEvent> history = new ArrayDeque<>();
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final ArrayDeque<WatchEvent> pending = new ArrayDeque<>();
  private boolean delivering;
  private long resourceVersion;
  private long compactedThrough;

  /** A store whose watches can resume from the last {@code historyLimit} writes. */
  public MemoryObjectStore(Clock clock, int historyLimit) {
    this.clock = clock;
    this.historyLimit = historyLimit;
    BuiltinTypes.all().forEach(this::serve);
    for (String ns : INITIAL_NAMESPACES) {
      ObjectNode namespace = JsonNodeFactory.instance.objectNode();
      namespace.putObject("metadata").put("name", ns);
      create(BuiltinTypes.NAMESPACES, namespace);
    }
  }

  public MemoryObjectStore() {
    this(Clock.systemUTC(), 10_000);
  }

  /**
   * Whether a write into a namespace that does not exist creates it (a test convenience, the way
   * fabric8's mock server behaves) instead of answering 404 as a real API server does. Off unless
   * asked for.
   */
  public void createMissingNamespaces(boolean create) {
    this.createMissingNamespaces = create;
  }

  @Override
  public List<ResourceType> types() {
    return locked(() -> List.copyOf(types.values()));
  }

  @Override
  public Optional<ResourceType> type(String group, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return locked(
        () ->
            types.values().stream()
                .filter(t -> group == null || t.group().equals(group))
                .filter(
                    t ->
                        t.plural().equals(n)
                            || t.singular().equals(n)
                            || t.kind().toLowerCase(Locale.ROOT).equals(n)
                            || t.shortNames().contains(n))
                .findFirst());
  }

  @Override
  public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
    return locked(
        () -> {
          TypeBucket bucket = buckets.get(type.groupResource());
          ObjectNode o = bucket == null ? null : bucket.get(scope(type, namespace), name);
          return Optional.ofNullable(o).map(ObjectNode::deepCopy);
        });
  }

  @Override
  public List<ObjectNode> list(ResourceType type, String namespace, Predicate<ObjectNode> filter) {
    return locked(
        () -> {
          TypeBucket bucket = buckets.get(type.groupResource());
          if (bucket == null) {
            return List.of();
          }
          String ns = namespace == null || !type.namespaced() ? null : namespace;
          List<ObjectNode> out = new ArrayList<>();
          bucket.list(ns, filter).forEach(o -> out.add(o.deepCopy()));
          return out;
        });
  }

  @Override
  public ObjectNode create(ResourceType type, ObjectNode object) {
    return locked(
        () -> {
          TypeBucket bucket = served(type);
          ObjectNode o = object.deepCopy();
          ObjectNode meta = ObjectRules.metadata(o);
          if (ObjectRules.name(o).isEmpty() && !meta.path("generateName").asText("").isEmpty()) {
            meta.put("name", freeName(bucket, type, o, meta.get("generateName").asText()));
          }
          ObjectRules.checkForCreate(type, o);
          String ns = scope(type, ObjectRules.namespace(o));
          String name = ObjectRules.name(o);
          if (type.namespaced() && namespaceObject(ns) == null) {
            if (!createMissingNamespaces) {
              throw ObjectRules.notFound(BuiltinTypes.NAMESPACES, ns);
            }
            ObjectNode namespace = JsonNodeFactory.instance.objectNode();
            namespace.putObject("metadata").put("name", ns);
            create(BuiltinTypes.NAMESPACES, namespace);
          }
          if (bucket.get(ns, name) != null) {
            throw new StoreException.AlreadyExists(
                type.groupResource() + " \"" + name + "\" already exists");
          }
          meta.put("uid", UUID.randomUUID().toString());
          meta.put("creationTimestamp", ObjectRules.timestamp(clock));
          meta.put("generation", 1);
          meta.remove(List.of("deletionTimestamp", "deletionGracePeriodSeconds"));
          if (type.equals(BuiltinTypes.NAMESPACES) && !o.path("status").has("phase")) {
            o.putObject("status").put("phase", "Active");
          }
          if (type.equals(BuiltinTypes.CRDS)) {
            ResourceType served = CrdTypes.typeOf(o);
            if (types.containsKey(served.groupResource())) {
              throw ObjectRules.invalid(
                  type,
                  name,
                  "spec.names.plural: " + served.groupResource() + " is already served");
            }
            CrdTypes.establish(o, clock);
            serve(served);
          }
          return write(WatchEvent.Type.ADDED, type, bucket, o);
        });
  }

  @Override
  public ObjectNode update(ResourceType type, ObjectNode object) {
    return locked(
        () -> {
          TypeBucket bucket = served(type);
          ObjectNode stored = current(bucket, type, object);
          ObjectNode o = object.deepCopy();
          ObjectRules.checkForUpdate(type, o);
          ObjectNode meta = ObjectRules.metadata(o);
          JsonNode storedMeta = stored.get("metadata");
          for (String field :
              List.of(
                  "uid",
                  "creationTimestamp",
                  "deletionTimestamp",
                  "deletionGracePeriodSeconds",
                  "namespace",
                  "generation")) {
            meta.remove(field);
            if (storedMeta.has(field)) {
              meta.set(field, storedMeta.get(field));
            }
          }
          meta.put("resourceVersion", storedMeta.path("resourceVersion").asText());
          o.remove("status");
          if (stored.has("status")) {
            o.set("status", stored.get("status"));
          }
          if (ObjectRules.specChanged(stored, o)) {
            meta.put("generation", storedMeta.path("generation").asLong(0) + 1);
          }
          if (type.equals(BuiltinTypes.CRDS) && ObjectRules.specChanged(stored, o)) {
            ResourceType served = CrdTypes.typeOf(o);
            types.put(served.groupResource(), served);
          }
          if (o.equals(stored)) {
            return stored.deepCopy();
          }
          if (storedMeta.has("deletionTimestamp") && meta.path("finalizers").isEmpty()) {
            return remove(type, bucket, o);
          }
          return write(WatchEvent.Type.MODIFIED, type, bucket, o);
        });
  }

  @Override
  public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
    return locked(
        () -> {
          TypeBucket bucket = served(type);
          ObjectNode stored = current(bucket, type, object);
          ObjectNode o = stored.deepCopy();
          o.remove("status");
          if (object.has("status")) {
            o.set("status", object.get("status").deepCopy());
          }
          if (o.equals(stored)) {
            return o;
          }
          return write(WatchEvent.Type.MODIFIED, type, bucket, o);
        });
  }

  @Override
  public ObjectNode delete(ResourceType type, String namespace, String name) {
    return locked(
        () -> {
          TypeBucket bucket = served(type);
          ObjectNode stored = bucket.get(scope(type, namespace), name);
          if (stored == null) {
            throw ObjectRules.notFound(type, name);
          }
          if (!stored.path("metadata").path("finalizers").isEmpty()) {
            if (stored.path("metadata").has("deletionTimestamp")) {
              return stored.deepCopy();
            }
            ObjectNode o = stored.deepCopy();
            ObjectRules.metadata(o).put("deletionTimestamp", ObjectRules.timestamp(clock));
            ObjectRules.metadata(o).put("deletionGracePeriodSeconds", 0);
            return write(WatchEvent.Type.MODIFIED, type, bucket, o);
          }
          return remove(type, bucket, stored.deepCopy());
        });
  }

  @Override
  public long resourceVersion() {
    return locked(() -> resourceVersion);
  }

  @Override
  public AutoCloseable watch(ResourceType type, Consumer<WatchEvent> listener) {
    Watcher w = new Watcher(type == null ? null : type.groupResource(), listener);
    watchers.add(w);
    return () -> watchers.remove(w);
  }

  @Override
  public AutoCloseable watch(ResourceType type, long since, Consumer<WatchEvent> listener) {
    return locked(
        () -> {
          if (since < compactedThrough) {
            throw new StoreException.Expired(
                "too old resource version: " + since + " (" + compactedThrough + ")");
          }
          Watcher w = new Watcher(type == null ? null : type.groupResource(), listener);
          for (WatchEvent e : history) {
            if (rv(e.object()) > since && wants(w, e)) {
              notify(w, e);
            }
          }
          watchers.add(w);
          return (AutoCloseable) () -> watchers.remove(w);
        });
  }

  /** The number of objects stored, over every type. */
  public int size() {
    return locked(() -> buckets.values().stream().mapToInt(TypeBucket::size).sum());
  }

  private ObjectNode write(
      WatchEvent.Type kind, ResourceType type, TypeBucket bucket, ObjectNode o) {
    ObjectRules.metadata(o).put("resourceVersion", Long.toString(++resourceVersion));
    bucket.put(scope(type, ObjectRules.namespace(o)), ObjectRules.name(o), o);
    emit(new WatchEvent(kind, type, o));
    return o.deepCopy();
  }

  private ObjectNode remove(ResourceType type, TypeBucket bucket, ObjectNode o) {
    bucket.remove(scope(type, ObjectRules.namespace(o)), ObjectRules.name(o));
    ObjectRules.metadata(o).put("resourceVersion", Long.toString(++resourceVersion));
    emit(new WatchEvent(WatchEvent.Type.DELETED, type, o));
    if (type.equals(BuiltinTypes.CRDS)) {
      ResourceType served = CrdTypes.typeOf(o);
      TypeBucket gone = buckets.remove(served.groupResource());
      types.remove(served.groupResource());
      if (gone != null) {
        for (ObjectNode cr : gone.all()) {
          ObjectNode copy = cr.deepCopy();
          ObjectRules.metadata(copy).put("resourceVersion", Long.toString(++resourceVersion));
          emit(new WatchEvent(WatchEvent.Type.DELETED, served, copy));
        }
      }
    }
    return o.deepCopy();
  }

  /** Records the event and tells watchers; a write made by a listener waits for this one. */
  private void emit(WatchEvent event) {
    history.addLast(event);
    while (history.size() > historyLimit) {
      compactedThrough = rv(history.removeFirst().object());
    }
    pending.addLast(event);
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (!pending.isEmpty()) {
        WatchEvent e = pending.removeFirst();
        for (Watcher w : watchers) {
          if (wants(w, e)) {
            notify(w, e);
          }
        }
      }
    } finally {
      delivering = false;
    }
  }

  private static boolean wants(Watcher w, WatchEvent e) {
    return w.typeKey() == null || w.typeKey().equals(e.resourceType().groupResource());
  }

  private static void notify(Watcher w, WatchEvent e) {
    try {
      w.listener().accept(new WatchEvent(e.type(), e.resourceType(), e.object().deepCopy()));
    } catch (RuntimeException ex) {
      LOG.warn("A watch listener of {} failed", e.resourceType().groupResource(), ex);
    }
  }

  private ObjectNode current(TypeBucket bucket, ResourceType type, ObjectNode object) {
    String name = ObjectRules.name(object);
    ObjectNode stored = bucket.get(scope(type, ObjectRules.namespace(object)), name);
    if (stored == null) {
      throw ObjectRules.notFound(type, name);
    }
    String expected = object.path("metadata").path("resourceVersion").asText("");
    if (!expected.isEmpty()
        && !expected.equals(stored.path("metadata").path("resourceVersion").asText())) {
      throw ObjectRules.conflict(type, name);
    }
    return stored;
  }

  private String freeName(TypeBucket bucket, ResourceType type, ObjectNode o, String prefix) {
    String ns = scope(type, ObjectRules.namespace(o));
    for (int attempt = 0; attempt < 10; attempt++) {
      StringBuilder name = new StringBuilder(prefix);
      for (int i = 0; i < 5; i++) {
        name.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
      }
      if (bucket.get(ns, name.toString()) == null) {
        return name.toString();
      }
    }
    throw new StoreException.AlreadyExists(
        type.groupResource() + ": no free name with generateName \"" + prefix + "\"");
  }

  private ObjectNode namespaceObject(String name) {
    return buckets.get(BuiltinTypes.NAMESPACES.groupResource()).get("", name);
  }

  private TypeBucket served(ResourceType type) {
    TypeBucket bucket = buckets.get(type.groupResource());
    if (bucket == null) {
      throw new StoreException.NotFound(
          "the server could not find the requested resource (" + type.groupResource() + ")");
    }
    return bucket;
  }

  private void serve(ResourceType type) {
    types.put(type.groupResource(), type);
    buckets.put(type.groupResource(), new TypeBucket());
  }

  private static String scope(ResourceType type, String namespace) {
    return type.namespaced() && namespace != null ? namespace : "";
  }

  private static long rv(ObjectNode o) {
    return Long.parseLong(o.path("metadata").path("resourceVersion").asText("0"));
  }

  private <T> T locked(java.util.function.Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }
}
