package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.FleetApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.project.ProjectGate;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads, for the resync of many agents at once, what each would otherwise read itself: the project
 * policies once, the generations of every Application of their clusters in one query, and the
 * documents any of them lacks at its generation in one more; each agent then gets its slice. Reads
 * run one after another, so that each is issued after the one before completed and sessions can
 * take them in turn (see {@link ClusterApplications#accepts}).
 */
final class ResyncPrefetch {

  private final ProjectGate projects;
  private final FleetApplicationRepository reads;
  private Future<?> last = Future.succeededFuture();

  ResyncPrefetch(ProjectGate projects, FleetApplicationRepository reads) {
    this.projects = projects;
    this.reads = reads;
  }

  /**
   * Reads for the clusters of these sessions: a slice for each, or a failure (the sessions then
   * read for themselves).
   */
  synchronized Future<Map<String, Prefetched>> read(Collection<AgentSession> sessions) {
    Future<Map<String, Prefetched>> next = last.transform(ignored -> readNow(sessions));
    last = next;
    return next;
  }

  private Future<Map<String, Prefetched>> readNow(Collection<AgentSession> sessions) {
    long readFrom = Prefetched.tick();
    List<String> clusters = sessions.stream().map(AgentSession::cluster).toList();
    return projects
        .load()
        .compose(
            policies ->
                reads
                    .generations(clusters)
                    .compose(
                        generations -> {
                          // Held as late as can be, so what a session took from the read before
                          // this one is not read again.
                          Map<String, Map<String, Long>> held = new HashMap<>();
                          sessions.forEach(s -> held.put(s.cluster(), s.generationsHeld()));
                          Map<String, Set<String>> lacking = lacking(held, generations);
                          Set<String> names = new TreeSet<>();
                          lacking.values().forEach(names::addAll);
                          return reads
                              .named(names)
                              .map(
                                  docs ->
                                      slices(
                                          readFrom,
                                          Prefetched.tick(),
                                          policies,
                                          generations,
                                          lacking,
                                          docs));
                        }));
  }

  /**
   * By cluster, the names of the Applications whose generation now differs from the one its session
   * holds (or that it does not hold).
   */
  static Map<String, Set<String>> lacking(
      Map<String, Map<String, Long>> held, Map<String, Map<String, Long>> generations) {
    Map<String, Set<String>> lacking = new HashMap<>();
    held.forEach(
        (cluster, holds) -> {
          Set<String> names = new HashSet<>();
          generations
              .getOrDefault(cluster, Map.of())
              .forEach(
                  (name, generation) -> {
                    if (!generation.equals(holds.get(name))) {
                      names.add(name);
                    }
                  });
          lacking.put(cluster, names);
        });
    return lacking;
  }

  /** Each cluster's slice: its generations, and the documents read for it still destined to it. */
  static Map<String, Prefetched> slices(
      long readFrom,
      long readUntil,
      ProjectGate.Policies policies,
      Map<String, Map<String, Long>> generations,
      Map<String, Set<String>> lacking,
      List<StoredApplication> docs) {
    Map<String, StoredApplication> byName = new HashMap<>();
    docs.forEach(a -> byName.put(a.name(), a));
    Map<String, Prefetched> slices = new HashMap<>();
    lacking.forEach(
        (cluster, names) -> {
          Map<String, StoredApplication> mine = new HashMap<>();
          for (String name : names) {
            StoredApplication a = byName.get(name);
            if (a != null && cluster.equals(a.cluster())) {
              mine.put(name, a);
            }
          }
          slices.put(
              cluster,
              new Prefetched(
                  readFrom,
                  readUntil,
                  policies,
                  Map.copyOf(generations.getOrDefault(cluster, Map.of())),
                  Set.copyOf(names),
                  Map.copyOf(mine)));
        });
    return slices;
  }
}
