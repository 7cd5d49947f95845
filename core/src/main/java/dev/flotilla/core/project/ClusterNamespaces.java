package dev.flotilla.core.project;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An AppProject's {@code spec.destinations} as they bear on one cluster: what remains to decide
 * once the cluster's server and name are known is the namespace. Argo CD checks every namespaced
 * object's own namespace this way, so a manifest cannot write into a namespace the project does not
 * permit through {@code metadata.namespace}. The agent holds one of these per assignment and asks
 * it about rendered objects; {@link #permits} agrees with {@link
 * ProjectPolicy#isDestinationPermitted} for that cluster and any namespace.
 *
 * @param entries the destination entries that can affect this cluster, in project order
 */
public record ClusterNamespaces(List<Entry> entries) {

  /**
   * One {@code spec.destinations} entry with its server and name already judged against the
   * cluster.
   *
   * @param namespace the entry's namespace pattern, {@code !} included
   * @param clusterMatched its server or name matches the cluster
   * @param excludesCluster its server or name is a {@code !} pattern the cluster falls under, so
   *     unless the entry matches it denies every namespace (Argo CD's rule, kept as it is)
   */
  public record Entry(String namespace, boolean clusterMatched, boolean excludesCluster) {
    public Entry {
      namespace = namespace == null ? "" : namespace;
    }
  }

  public ClusterNamespaces {
    entries = List.copyOf(entries);
  }

  /**
   * The entries of {@code destinations} that matter on the cluster with this server URL and name
   * (either may be empty); an entry that neither matches nor excludes the cluster only matters when
   * its namespace is a {@code !} pattern, which in Argo CD denies that namespace everywhere.
   */
  public static ClusterNamespaces of(
      List<ProjectPolicy.Destination> destinations, String server, String name) {
    List<Entry> out = new ArrayList<>();
    for (ProjectPolicy.Destination d : destinations) {
      boolean nameMatched = !name.isEmpty() && ProjectPolicy.field(d.name(), name);
      boolean serverMatched = !server.isEmpty() && ProjectPolicy.field(d.server(), server);
      boolean clusterMatched = serverMatched || nameMatched;
      boolean excludesCluster =
          (!nameMatched && d.name().startsWith("!"))
              || (!serverMatched && d.server().startsWith("!"));
      if (clusterMatched || excludesCluster || d.namespace().startsWith("!")) {
        out.add(new Entry(d.namespace(), clusterMatched, excludesCluster));
      }
    }
    return new ClusterNamespaces(out);
  }

  /** Whether objects may be placed in {@code namespace} on this cluster. */
  public boolean permits(String namespace) {
    return violation(namespace).isEmpty();
  }

  /**
   * Why {@code namespace} is not permitted on this cluster, or empty when it is; the same decision
   * as {@link ProjectPolicy#isDestinationPermitted}: some entry matches and no {@code !} pattern
   * rejects.
   */
  public Optional<String> violation(String namespace) {
    boolean anyMatched = false;
    for (Entry e : entries) {
      boolean namespaceMatched = ProjectPolicy.field(e.namespace(), namespace);
      if (e.clusterMatched() && namespaceMatched) {
        anyMatched = true;
      } else if (!namespaceMatched && e.namespace().startsWith("!")) {
        return Optional.of("excluded by destination namespace '" + e.namespace() + "'");
      } else if (e.excludesCluster()) {
        return Optional.of(
            "a destination whose '!' server or name pattern excludes this cluster permits only"
                + " namespace '"
                + e.namespace()
                + "'");
      }
    }
    if (anyMatched) {
      return Optional.empty();
    }
    List<String> permitted =
        entries.stream()
            .filter(e -> e.clusterMatched() && !e.namespace().startsWith("!"))
            .map(e -> "'" + e.namespace() + "'")
            .distinct()
            .toList();
    return Optional.of(
        permitted.isEmpty()
            ? "the project permits no namespace on this cluster"
            : "destinations on this cluster permit " + String.join(", ", permitted));
  }
}
