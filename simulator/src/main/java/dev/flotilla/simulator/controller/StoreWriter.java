package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.simulator.store.StoreException;
import java.util.function.UnaryOperator;

/**
 * Read-modify-write against the store with the API server's optimistic concurrency: a write that
 * meets a newer resourceVersion re-reads and applies the change again, a bounded number of times. A
 * change that leaves the object as it was writes nothing, so reconciling twice changes nothing.
 */
final class StoreWriter {

  static final int MAX_ATTEMPTS = 5;

  private final ObjectStore store;

  StoreWriter(ObjectStore store) {
    this.store = store;
  }

  ObjectStore store() {
    return store;
  }

  /**
   * Applies {@code change} to a fresh copy of the object and writes it when it differs; returns the
   * stored object, or null when the object is gone. The change may return null to write nothing.
   */
  ObjectNode modify(
      ResourceType type,
      String namespace,
      String name,
      boolean statusOnly,
      UnaryOperator<ObjectNode> change) {
    for (int attempt = 1; ; attempt++) {
      ObjectNode current = store.get(type, namespace, name).orElse(null);
      if (current == null) {
        return null;
      }
      ObjectNode changed = change.apply(current.deepCopy());
      if (changed == null || changed.equals(current)) {
        return current;
      }
      try {
        return statusOnly ? store.updateStatus(type, changed) : store.update(type, changed);
      } catch (StoreException.Conflict e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      } catch (StoreException.NotFound e) {
        return null;
      }
    }
  }

  /** Deletes the object; true when it was there. */
  boolean delete(ResourceType type, String namespace, String name) {
    try {
      store.delete(type, namespace, name);
      return true;
    } catch (StoreException.NotFound e) {
      return false;
    }
  }

  /**
   * Creates an object named {@code prefix + random suffix}, trying another suffix when the name is
   * taken, as the API server does for generateName.
   */
  ObjectNode createWithSuffix(ResourceType type, ObjectNode object, String prefix) {
    Meta.metadata(object).put("generateName", prefix);
    for (int attempt = 1; ; attempt++) {
      Meta.metadata(object).put("name", prefix + Meta.randomSuffix());
      try {
        return store.create(type, object);
      } catch (StoreException.AlreadyExists e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
