package dev.flotilla.core.model;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which registered cluster an Application's {@code destination} means. By name, the cluster of that
 * name; by server, the cluster registered with that API URL. Argo CD's own cluster is {@code
 * https://kubernetes.default.svc} (named {@code in-cluster}); Flotilla's control plane runs no
 * cluster of its own, so that URL means the cluster registered with exactly that server URL, else
 * the one registered under the name {@code in-cluster} (and the name {@code in-cluster} means the
 * cluster of that name, else the one registered with that URL). Manifests written for Argo CD
 * therefore work unchanged once one cluster is registered as {@code in-cluster}.
 */
public final class DestinationCluster {

  public static final String IN_CLUSTER_SERVER = "https://kubernetes.default.svc";
  public static final String IN_CLUSTER_NAME = "in-cluster";

  private DestinationCluster() {}

  /**
   * The cluster among {@code clusters} that a destination of {@code name} (or, when empty, {@code
   * server}) means; empty when none is registered.
   */
  public static <C> Optional<C> resolve(
      List<C> clusters,
      Function<C, String> nameOf,
      Function<C, String> serverOf,
      String name,
      String server) {
    boolean byName = name != null && !name.isEmpty();
    String wanted = byName ? name : server == null ? "" : server;
    Function<C, String> key = byName ? nameOf : serverOf;
    Optional<C> exact = clusters.stream().filter(c -> wanted.equals(key.apply(c))).findFirst();
    if (exact.isPresent()) {
      return exact;
    }
    if (byName && IN_CLUSTER_NAME.equals(wanted)) {
      return clusters.stream().filter(c -> IN_CLUSTER_SERVER.equals(serverOf.apply(c))).findFirst();
    }
    if (!byName && IN_CLUSTER_SERVER.equals(wanted)) {
      return clusters.stream().filter(c -> IN_CLUSTER_NAME.equals(nameOf.apply(c))).findFirst();
    }
    return Optional.empty();
  }
}
