package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.core.project.ApplicationPlacement;
import dev.flotilla.proto.agent.v1.Assignment;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
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
 * proportion to what changed, not a read and parse of every document it holds. A resync of many
 * agents at once brings both reads along ({@link Prefetched}); what they lack is read here.
 *
 * <p>Not thread-safe, but for {@link #generationsHeld}: its session calls it from one serialised
 * chain.
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

  /** Where a cluster's Applications are read from (ApplicationRepository; fakes in tests). */
  interface Reads {
    /** Name to generation of every Application whose destination is the cluster. */
    Future<Map<String, Long>> generations(String cluster);

    /** Those of {@code names} whose destination is the cluster. */
    Future<List<StoredApplication>> documents(String cluster, Collection<String> names);

    static Reads of(ApplicationRepository applications) {
      return new Reads() {
        @Override
        public Future<Map<String, Long>> generations(String cluster) {
          return applications.generationsForCluster(cluster);
        }

        @Override
        public Future<List<StoredApplication>> documents(String cluster, Collection<String> names) {
          return applications.forCluster(cluster, names);
        }
      };
    }
  }

  private final String cluster;
  private final Reads reads;
  private final Map<String, Known> known = new HashMap<>();

  /** A {@link Prefetched#tick} taken after the last read completed: nothing held is newer. */
  private long readUntil;

  /** What {@code known} holds, by name; read by the dispatcher from other threads. */
  private volatile Map<String, Long> held = Map.of();

  ClusterApplications(String cluster, Reads reads) {
    this.cluster = cluster;
    this.reads = reads;
  }

  /** Every Application whose destination is the cluster now, dispatchable or not. */
  Future<List<Known>> current() {
    return reads
        .generations(cluster)
        .compose(
            generations ->
                update(generations, stale -> reads.documents(cluster, stale)).map(this::readNow));
  }

  /**
   * Whether {@code prefetched} was read after every read behind what this holds: only then may it
   * replace reads of its own (else an agent could be sent an older state than it holds).
   */
  boolean accepts(Prefetched prefetched) {
    return prefetched.readFrom() > readUntil;
  }

  /**
   * The same, from what a read for many agents found ({@link #accepts} it first); documents it did
   * not read are read here.
   */
  Future<List<Known>> current(Prefetched prefetched) {
    // Unless it reads more below, what this holds is as of the prefetch.
    readUntil = Math.max(readUntil, prefetched.readUntil());
    return update(
        prefetched.generations(),
        stale -> {
          List<StoredApplication> found = new ArrayList<>();
          List<String> unread = new ArrayList<>();
          for (String name : stale) {
            StoredApplication a = prefetched.documents().get(name);
            if (a != null) {
              found.add(a);
            } else if (!prefetched.read().contains(name)) {
              unread.add(name);
            }
            // Read and not found: moved or deleted since, like a miss of a read of our own.
          }
          if (unread.isEmpty()) {
            return Future.succeededFuture(found);
          }
          return reads
              .documents(cluster, unread)
              .map(
                  more -> {
                    readUntil = Prefetched.tick();
                    List<StoredApplication> all = new ArrayList<>(found);
                    all.addAll(more);
                    return all;
                  });
        });
  }

  /** Name to generation of what this holds; safe from any thread, possibly a step behind. */
  Map<String, Long> generationsHeld() {
    return held;
  }

  private Future<List<Known>> update(
      Map<String, Long> generations,
      java.util.function.Function<List<String>, Future<List<StoredApplication>>> documents) {
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
      return Future.succeededFuture(done());
    }
    return documents
        .apply(stale)
        .map(
            read -> {
              Set<String> found = new HashSet<>();
              for (StoredApplication a : read) {
                found.add(a.name());
                known.put(a.name(), parse(a));
              }
              // Moved to another cluster or deleted between the two reads.
              stale.stream().filter(n -> !found.contains(n)).forEach(known::remove);
              return done();
            });
  }

  private List<Known> readNow(List<Known> known) {
    readUntil = Prefetched.tick();
    return known;
  }

  private List<Known> done() {
    Map<String, Long> now = new HashMap<>();
    known.forEach((name, k) -> now.put(name, k.app().generation()));
    held = Map.copyOf(now);
    return List.copyOf(known.values());
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
