package dev.flotilla.simulator.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change, as a Kubernetes watch reports it.
 *
 * @param type ADDED, MODIFIED or DELETED
 * @param resourceType the object's type
 * @param object the object after the change (for DELETED, as it was last stored)
 */
public record WatchEvent(Type type, ResourceType resourceType, ObjectNode object) {

  public enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }
}
