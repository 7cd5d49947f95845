package dev.flotilla.simulator.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The state of one SIMULATED cluster: every object as the API server would store it, indexed so
 * that a GET is a map lookup and a list touches only the objects of one type (and namespace), never
 * the whole store. Objects are Jackson trees in their JSON form ({@code apiVersion}, {@code kind},
 * {@code metadata}, ...); callers get copies, so a change is visible only through a write.
 *
 * <p>Writes follow the API server's rules: create assigns uid, resourceVersion (one counter per
 * cluster), creationTimestamp, generation 1 (and a name from {@code generateName}); an update with
 * a stale {@code metadata.resourceVersion} fails with {@link StoreException.Conflict}; a change to
 * anything but {@code status} and {@code metadata} bumps {@code metadata.generation}; {@code
 * updateStatus} changes only {@code status}. Delete honours finalizers (sets {@code
 * deletionTimestamp} and removes the object when the last finalizer goes). Every write notifies
 * watchers synchronously in resourceVersion order.
 *
 * <p>Thread-safe: the API server's event loop, the controllers and tests write concurrently.
 */
public interface ObjectStore {

  /** The resource types served now: the built-in table plus one per established CRD. */
  List<ResourceType> types();

  /** The type with this group and plural (or kind, or short name), if served. */
  Optional<ResourceType> type(String group, String pluralKindOrShortName);

  Optional<ObjectNode> get(ResourceType type, String namespace, String name);

  /**
   * Objects of one type, in one namespace or (namespace {@code null}) all of them, that match the
   * filter, sorted by namespace then name.
   */
  List<ObjectNode> list(ResourceType type, String namespace, Predicate<ObjectNode> filter);

  /** Creates the object; {@link StoreException.AlreadyExists} if the name is taken. */
  ObjectNode create(ResourceType type, ObjectNode object);

  /**
   * Replaces the object (not its status). With a {@code metadata.resourceVersion} it must match the
   * stored one ({@link StoreException.Conflict}); {@link StoreException.NotFound} if absent.
   */
  ObjectNode update(ResourceType type, ObjectNode object);

  /** Replaces only the status, with the same resourceVersion rule as {@link #update}. */
  ObjectNode updateStatus(ResourceType type, ObjectNode object);

  /**
   * Deletes the object, or marks it deleting while finalizers remain. Returns the object as it was
   * last stored; {@link StoreException.NotFound} if absent.
   */
  ObjectNode delete(ResourceType type, String namespace, String name);

  /** The current resourceVersion of the cluster (the last write's). */
  long resourceVersion();

  /**
   * Calls the listener for every later write to objects of the type (null: every type), in order,
   * until the returned handle is closed. Listeners must not block: they run on the writer's thread.
   */
  AutoCloseable watch(ResourceType type, Consumer<WatchEvent> listener);

  /**
   * Like {@link #watch(ResourceType, Consumer)}, but first replays, in order, every write after
   * {@code sinceResourceVersion}, with no gap and no duplicate between replay and live events.
   * {@link StoreException.Expired} when the store no longer holds that much history. This default
   * can replay nothing: it accepts only the current resourceVersion (or a later one).
   */
  default AutoCloseable watch(
      ResourceType type, long sinceResourceVersion, Consumer<WatchEvent> listener) {
    if (sinceResourceVersion < resourceVersion()) {
      throw new StoreException.Expired(
          "too old resource version: " + sinceResourceVersion + " (" + resourceVersion() + ")");
    }
    return watch(type, listener);
  }
}
