package dev.flotilla.controlplane.cluster;

/** A cluster of that name is already registered. */
public class ClusterExistsException extends RuntimeException {
  public ClusterExistsException(String name) {
    super("cluster '" + name + "' is already registered; remove it first or rotate its token");
  }
}
