package dev.flotilla.controlplane.appset;

import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes ApplicationSets in the background, as Kubernetes deletes an object with finalizers: the
 * request only marks the set (its progress is stored with it, so a restart resumes the work) and
 * the Applications go in small transactions, one after another, so that a set of 100,000
 * Applications never holds a long transaction, a lock on the whole table or more than one database
 * connection while the API serves everybody else.
 *
 * <p>The stored progress, shown as {@code status.deletion}: {@code requestedAt}, {@code
 * deleteApplications} (false when the set's policy keeps its Applications, which then lose their
 * owner), {@code applications} (how many it had) and {@code remaining}.
 */
public final class ApplicationSetDeletion {

  private static final Logger LOG = LoggerFactory.getLogger(ApplicationSetDeletion.class);

  /** Applications deleted per transaction. */
  static final int BATCH = 500;

  /** Agents are told about the deleted Applications at most this often while a deletion runs. */
  private static final Duration RESYNC_EVERY = Duration.ofSeconds(2);

  private final ApplicationSetRepository applicationSets;
  private final ApplicationRepository applications;
  private final AgentDispatcher dispatcher;
  private final ApplicationEvents events;
  private final Clock clock;
  private final Map<String, Future<Void>> running = new ConcurrentHashMap<>();

  ApplicationSetDeletion(
      ApplicationSetRepository applicationSets,
      ApplicationRepository applications,
      AgentDispatcher dispatcher,
      ApplicationEvents events,
      Clock clock) {
    this.applicationSets = applicationSets;
    this.applications = applications;
    this.dispatcher = dispatcher;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Marks {@code name} for deletion (asking again changes nothing) and starts deleting in the
   * background; returns the progress at once, or empty when there is no such set.
   */
  Future<Optional<JsonObject>> request(String name, boolean deleteApplications) {
    return applications
        .countByApplicationSet(name)
        .compose(
            count ->
                applicationSets.markDeleting(
                    name,
                    new JsonObject()
                        .put("requestedAt", clock.instant().toString())
                        .put("deleteApplications", deleteApplications)
                        .put("applications", count)
                        .put("remaining", deleteApplications ? count : 0)))
        .onSuccess(
            marked -> {
              if (marked.isPresent()) {
                resume(name);
              }
            });
  }

  /** Continues the deletion of {@code name}; completes once the set is gone. One run per set. */
  Future<Void> resume(String name) {
    synchronized (running) {
      Future<Void> current = running.get(name);
      if (current != null) {
        return current;
      }
      Future<Void> run =
          continueDeleting(name, new TreeSet<>(), System.nanoTime())
              .onFailure(
                  e ->
                      LOG.warn(
                          "ApplicationSet {}: deletion stopped; asking again or a restart resumes it",
                          name,
                          e));
      running.put(name, run);
      run.onComplete(ar -> running.remove(name, run));
      return run;
    }
  }

  /** Resumes every deletion a previous run of the control plane left unfinished. */
  Future<Void> resumeAll() {
    return applicationSets
        .deleting()
        .compose(names -> Future.join(names.stream().map(this::resume).toList()).mapEmpty());
  }

  /**
   * One batch, then the next, until the set is gone. {@code unsent} collects clusters whose agents
   * have not yet been told; they are told every {@link #RESYNC_EVERY} and at the end.
   */
  private Future<Void> continueDeleting(String name, Set<String> unsent, long lastResync) {
    return applicationSets
        .get(name)
        .compose(
            found -> {
              if (found.isEmpty() || !found.get().deleting()) {
                return tell(unsent);
              }
              JsonObject deletion = found.get().status().getJsonObject("deletion");
              if (!deletion.getBoolean("deleteApplications", true)) {
                return applications
                    .pool()
                    .withTransaction(tx -> applicationSets.finishDeletion(tx, name, false))
                    .compose(v -> finished(name, unsent));
              }
              return deleteBatch(name)
                  .compose(
                      deleted -> {
                        deleted.forEach(a -> events.changed(a.name()));
                        deleted.stream()
                            .map(StoredApplication::cluster)
                            .filter(Objects::nonNull)
                            .forEach(unsent::add);
                        if (deleted.isEmpty()) {
                          return applications
                              .pool()
                              .withTransaction(tx -> applicationSets.finishDeletion(tx, name, true))
                              .compose(
                                  gone ->
                                      gone
                                          ? finished(name, unsent)
                                          // Generated meanwhile: delete those too.
                                          : continueDeleting(name, unsent, lastResync));
                        }
                        if (System.nanoTime() - lastResync < RESYNC_EVERY.toNanos()) {
                          return continueDeleting(name, unsent, lastResync);
                        }
                        return tell(unsent)
                            .compose(v -> continueDeleting(name, unsent, System.nanoTime()));
                      });
            });
  }

  /** Deletes up to {@link #BATCH} Applications of the set and records what remains. */
  private Future<List<StoredApplication>> deleteBatch(String name) {
    return applications
        .pool()
        .withTransaction(
            tx ->
                applications
                    .deleteSomeOf(tx, name, BATCH)
                    .compose(deleted -> applicationSets.updateRemaining(tx, name).map(deleted)));
  }

  private Future<Void> finished(String name, Set<String> unsent) {
    LOG.info("ApplicationSet {} deleted", name);
    return tell(unsent);
  }

  private Future<Void> tell(Set<String> clusters) {
    if (clusters.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<String> now = new TreeSet<>(clusters);
    clusters.clear();
    return dispatcher.clustersChanged(now).otherwiseEmpty();
  }
}
