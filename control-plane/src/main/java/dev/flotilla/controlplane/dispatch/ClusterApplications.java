package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.core.project.ApplicationPlacement;
import dev.flotilla.proto.agent.v1.Assignment;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Applications assigned to one cluster, parsed once per generation. A resync reads only each
 * Application's generation, then the documents of those whose generation moved (every change of a
 * stored Application takes a new one), so an agent's resync costs one light query and work in
 * proportion to what changed, not a read and parse of every document it holds.
 *
 * <p>Not thread-safe: its session calls it from one serialised chain.
 */
final class ClusterApplications {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterApplications.class);

  /**
   * One stored Application with its parsed forms.
   *
   * @param placement what project policies check, read from the typed document; null when the
   *     stored document does not parse (one stored before generation checked types), which is then
   *     not dispatched
   * @param base its assignment before the per-resync parts (project rules, sync window)
   */
  record Known(StoredApplication app, ApplicationPlacement placement, Assignment base) {}

  private final String cluster;
  private final ApplicationRepository applications;
  private final Map<String, Known> known = new HashMap<>();

  ClusterApplications(String cluster, ApplicationRepository applications) {
    this.cluster = cluster;
    this.applications = applications;
  }

  /** Every Application whose destination is the cluster now, dispatchable or not. */
  Future<List<Known>> current() {
    return applications
        .generationsForCluster(cluster)
        .compose(
            generations -> {
              known.keySet().retainAll(generations.keySet());
              List<String> stale = new ArrayList<>();
              generations.forEach(
                  (name, generation) -> {
                    Known k = known.get(name);
                    if (k == null || k.app().generation() != generation) {
                      stale.add(name);
                    }
                  });
              if (stale.isEmpty()) {
                return Future.succeededFuture(List.copyOf(known.values()));
              }
              return applications
                  .forCluster(cluster, stale)
                  .map(
                      read -> {
                        Set<String> found = new HashSet<>();
                        for (StoredApplication a : read) {
                          found.add(a.name());
                          known.put(a.name(), parse(a));
                        }
                        // Moved to another cluster or deleted between the two reads.
                        stale.stream().filter(n -> !found.contains(n)).forEach(known::remove);
                        return List.copyOf(known.values());
                      });
            });
  }

  private static Known parse(StoredApplication a) {
    ApplicationPlacement placement = null;
    try {
      placement = ApplicationPlacement.of(a.name(), a.application().spec());
    } catch (IllegalArgumentException e) {
      LOG.warn("Application {} is not dispatched: {}", a.name(), e.getMessage());
    }
    return new Known(a, placement, a.toAssignment());
  }
}
