package dev.flotilla.controlplane.dispatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.generators.GeneratedApplication;
import dev.flotilla.proto.agent.v1.Assignment;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Applications assigned to one cluster, parsed once per generation. A resync reads only each
 * Application's generation, then the documents of those whose generation moved (every change of a
 * stored Application takes a new one), so an agent's resync costs one light query and work in
 * proportion to what changed, not a read and parse of every document it holds.
 *
 * <p>Not thread-safe: its session calls it from one serialised chain.
 */
final class ClusterApplications {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One stored Application with its parsed forms.
   *
   * @param parsed the document as project policies check it
   * @param base its assignment before the per-resync parts (project rules, sync window)
   */
  record Known(StoredApplication app, GeneratedApplication parsed, Assignment base) {}

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
    try {
      ObjectNode document = (ObjectNode) JSON.readTree(a.document().encode());
      return new Known(a, new GeneratedApplication(a.name(), document), a.toAssignment());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
