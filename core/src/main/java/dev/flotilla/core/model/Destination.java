package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Argo CD's {@code destination}: a cluster by server URL or by name, and a namespace. Fields are
 * null when absent.
 */
public record Destination(String server, String name, String namespace, ObjectNode unknown) {

  public static final Destination NONE = new Destination(null, null, null, null);

  public Destination {
    unknown = Nodes.copy(unknown);
  }
}
