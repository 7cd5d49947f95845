package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.git.GitRepositories;
import dev.flotilla.generators.GitInputException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls Git: re-resolves every Application's {@code targetRevision} and moves Applications to new
 * commits (a new generation, pushed to their agents), then regenerates the ApplicationSets that are
 * due.
 */
public final class RevisionPoller {

  private static final Logger LOG = LoggerFactory.getLogger(RevisionPoller.class);

  private final Vertx vertx;
  private final WorkerExecutor gitOps;
  private final ApplicationRepository applications;
  private final GitRepositories git;
  private final AgentDispatcher dispatcher;
  private final ApplicationSetController controller;
  private final Duration interval;
  private final AtomicBoolean polling = new AtomicBoolean();

  /** A poll was asked for while one ran: run once more right after, so no push is missed. */
  private final AtomicBoolean again = new AtomicBoolean();

  private long timer = -1;

  public RevisionPoller(
      Vertx vertx,
      WorkerExecutor gitOps,
      ApplicationRepository applications,
      GitRepositories git,
      AgentDispatcher dispatcher,
      ApplicationSetController controller,
      Duration interval) {
    this.vertx = vertx;
    this.gitOps = gitOps;
    this.applications = applications;
    this.git = git;
    this.dispatcher = dispatcher;
    this.controller = controller;
    this.interval = interval;
  }

  public void start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> pollOnce());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Polls now (a webhook arrived); if a round is running, one more follows it. */
  public void pollSoon() {
    vertx.runOnContext(v -> pollOnce());
  }

  /** One round; while a round runs, a request for another is remembered and run after it. */
  public Future<Void> pollOnce() {
    if (!polling.compareAndSet(false, true)) {
      again.set(true);
      return Future.succeededFuture();
    }
    return applications
        .listAll()
        .compose(this::moveToNewRevisions)
        .compose(v -> controller.reconcileDue())
        .onFailure(e -> LOG.warn("Git poll failed", e))
        .eventually(
            () -> {
              polling.set(false);
              return Future.succeededFuture();
            });
  }

  private record Source(String repoUrl, String targetRevision) {}

  private Future<Void> moveToNewRevisions(List<StoredApplication> all) {
    Map<Source, List<String>> bySource = new LinkedHashMap<>();
    for (StoredApplication a : all) {
      if (!a.repoUrl().isEmpty()) {
        bySource
            .computeIfAbsent(new Source(a.repoUrl(), a.targetRevision()), s -> new ArrayList<>())
            .add(a.name());
      }
    }
    List<Future<List<StoredApplication>>> updates = new ArrayList<>();
    for (var entry : bySource.entrySet()) {
      Source source = entry.getKey();
      updates.add(
          gitOps
              .executeBlocking(() -> git.resolve(source.repoUrl(), source.targetRevision()), false)
              .compose(sha -> applications.updateRevision(sha, entry.getValue()))
              .recover(
                  e -> {
                    // An unreachable repository leaves its Applications exactly as they are.
                    if (e instanceof GitInputException) {
                      LOG.warn("{}", e.getMessage());
                    } else {
                      LOG.warn("cannot poll {}", source.repoUrl(), e);
                    }
                    return Future.succeededFuture(List.of());
                  }));
    }
    return Future.join(updates)
        .transform(
            ar -> {
              Set<String> clusters = new TreeSet<>();
              for (Future<List<StoredApplication>> f : updates) {
                if (f.succeeded()) {
                  f.result().stream()
                      .map(StoredApplication::cluster)
                      .filter(c -> c != null)
                      .forEach(clusters::add);
                }
              }
              return dispatcher.clustersChanged(clusters);
            });
  }
}
