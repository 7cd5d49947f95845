package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.git.GitFetcher;
import dev.flotilla.generators.GitInputException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls Git: re-resolves every Application's {@code targetRevision} and moves Applications to new
 * commits (a new generation, pushed to their agents), then regenerates the ApplicationSets whose
 * Git inputs moved or whose requeue time came.
 *
 * <p>Each repository is polled on its own: a repository whose server hangs delays only its own
 * Applications and ApplicationSets. At most one poll per repository runs at a time; a poll asked
 * for while one runs (a webhook during a periodic poll) runs once right after it, so no push is
 * missed.
 */
public final class RevisionPoller {

  private static final Logger LOG = LoggerFactory.getLogger(RevisionPoller.class);

  private final Vertx vertx;
  private final WorkerExecutor gitOps;
  private final ApplicationRepository applications;
  private final GitFetcher fetcher;
  private final AgentDispatcher dispatcher;
  private final ApplicationSetController controller;
  private final Duration interval;

  /** Repositories being polled, each with the follow-up poll asked for meanwhile, if any. */
  private final Map<String, Running> polling = new HashMap<>();

  private static final class Running {
    Promise<Void> again;
  }

  private long timer = -1;
  private volatile BooleanSupplier runsHere = () -> true;
  private volatile Runnable elsewhere = () -> {};

  /** A webhook asked for a poll that no replica was seen to run yet. */
  private volatile boolean pollPending;

  public RevisionPoller(
      Vertx vertx,
      WorkerExecutor gitOps,
      ApplicationRepository applications,
      GitFetcher fetcher,
      AgentDispatcher dispatcher,
      ApplicationSetController controller,
      Duration interval) {
    this.vertx = vertx;
    this.gitOps = gitOps;
    this.applications = applications;
    this.fetcher = fetcher;
    this.dispatcher = dispatcher;
    this.controller = controller;
    this.interval = interval;
  }

  /**
   * Polls on its timer, and at once on {@link #pollSoon}, only while {@code runsHere} says so (with
   * several replicas: the one holding the poller's lease); otherwise {@link #pollSoon} asks {@code
   * elsewhere} to have that replica poll.
   */
  public void runOnlyWhen(BooleanSupplier runsHere, Runnable elsewhere) {
    this.runsHere = runsHere;
    this.elsewhere = elsewhere;
  }

  public void start() {
    timer =
        vertx.setPeriodic(
            interval.toMillis(),
            id -> {
              if (runsHere.getAsBoolean()) {
                pollOnce();
              }
            });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Polls now (a webhook arrived) without waiting for it; never blocks the caller. */
  public void pollSoon() {
    if (runsHere.getAsBoolean()) {
      vertx.runOnContext(v -> pollOnce());
    } else {
      // Also kept here: this replica may be the one that takes the poller over next.
      pollPending = true;
      elsewhere.run();
    }
  }

  /**
   * Another replica received a webhook: poll now if this one runs the poller, else keep the request
   * for {@link #takenOver}. Dropping it (the poller's lease had gone stale here for a moment, or
   * was changing hands) left every agent on the old commit until the next periodic poll.
   */
  public void pollRequestedElsewhere() {
    if (runsHere.getAsBoolean()) {
      pollPending = false;
      pollOnce();
    } else {
      pollPending = true;
    }
  }

  /** This replica now runs the poller: a webhook it was told of meanwhile is served now. */
  public void takenOver() {
    if (pollPending && runsHere.getAsBoolean()) {
      pollPending = false;
      LOG.info("polling Git now for a webhook received while the poller was changing hands");
      pollOnce();
    }
  }

  /**
   * Polls one repository now (a hard refresh of an Application reading it) and completes when its
   * Applications were moved to the commits it resolves; a failure leaves them as they are, as a
   * periodic poll does. Nothing to do for "".
   */
  public Future<Void> pollRepositoryNow(String url) {
    if (url.isEmpty()) {
      return Future.succeededFuture();
    }
    return applications
        .listAll()
        .compose(all -> pollRepository(url, byRepository(all).getOrDefault(url, List.of())));
  }

  /**
   * One round over every repository that Applications or ApplicationSets read; completes when each
   * repository's poll (or the follow-up of one already running) has ended.
   */
  public Future<Void> pollOnce() {
    return applications
        .listAll()
        .compose(
            all -> {
              Map<String, List<StoredApplication>> byUrl = byRepository(all);
              Set<String> urls = new TreeSet<>(byUrl.keySet());
              urls.addAll(controller.gitInputUrls());
              List<Future<Void>> work = new ArrayList<>();
              for (String url : urls) {
                work.add(pollRepository(url, byUrl.getOrDefault(url, List.of())));
              }
              work.add(controller.reconcileDue());
              return Future.join(work).<Void>mapEmpty();
            })
        .onFailure(e -> LOG.warn("Git poll failed", e))
        .otherwiseEmpty();
  }

  /**
   * Polls one repository; if its poll is running, asks for one more right after it and returns that
   * one's completion.
   */
  Future<Void> pollRepository(String url, List<StoredApplication> apps) {
    synchronized (polling) {
      Running running = polling.get(url);
      if (running != null) {
        if (running.again == null) {
          running.again = Promise.promise();
        }
        return running.again.future();
      }
      polling.put(url, new Running());
    }
    long since = GitFetcher.now();
    long started = System.nanoTime();
    return fetcher
        .fetch(url, since)
        .compose(v -> moveToNewRevisions(url, apps, started))
        .compose(v -> controller.gitChanged(url, since))
        .recover(
            e -> {
              // An unreachable repository leaves its Applications exactly as they are.
              if (e instanceof GitInputException) {
                LOG.warn("{}", e.getMessage());
              } else {
                LOG.warn("cannot poll {}", url, e);
              }
              return Future.succeededFuture();
            })
        .eventually(
            () -> {
              Promise<Void> again;
              synchronized (polling) {
                again = polling.remove(url).again;
              }
              if (again != null) {
                // Listed again: the follow-up must see Applications created meanwhile.
                applications
                    .listAll()
                    .compose(
                        all -> pollRepository(url, byRepository(all).getOrDefault(url, List.of())))
                    .onComplete(again);
              }
              return Future.succeededFuture();
            });
  }

  private static Map<String, List<StoredApplication>> byRepository(List<StoredApplication> all) {
    Map<String, List<StoredApplication>> byUrl = new LinkedHashMap<>();
    for (StoredApplication a : all) {
      if (a.isMultiSource()) {
        // Polled with each of its Git repositories; each poll sets that repository's sources.
        for (SourceRevisions.GitSource s : SourceRevisions.gitSources(a.spec())) {
          List<StoredApplication> apps = byUrl.computeIfAbsent(s.repoUrl(), u -> new ArrayList<>());
          if (!apps.contains(a)) {
            apps.add(a);
          }
        }
      } else if (!a.gitRepoUrl().isEmpty()) {
        // Charts of Helm repositories are no Git repositories: cloning them failed every poll.
        byUrl.computeIfAbsent(a.gitRepoUrl(), u -> new ArrayList<>()).add(a);
      }
    }
    return byUrl;
  }

  /** The Git sources of multi-source Application {@code a} read from repository {@code url}. */
  private static List<SourceRevisions.GitSource> sourcesAt(String url, StoredApplication a) {
    return SourceRevisions.gitSources(a.spec()).stream()
        .filter(s -> s.repoUrl().equals(url))
        .toList();
  }

  /** Moves the Applications of one freshly fetched repository to the commits it now resolves. */
  private Future<Void> moveToNewRevisions(String url, List<StoredApplication> apps, long started) {
    if (apps.isEmpty()) {
      return Future.succeededFuture();
    }
    long fetched = System.nanoTime();
    Map<String, List<String>> byRevision = new TreeMap<>();
    List<StoredApplication> multi = apps.stream().filter(StoredApplication::isMultiSource).toList();
    apps.stream()
        .filter(a -> !a.isMultiSource())
        .forEach(
            a ->
                byRevision
                    .computeIfAbsent(a.targetRevision(), r -> new ArrayList<>())
                    .add(a.name()));
    Set<String> wanted = new TreeSet<>(byRevision.keySet());
    multi.forEach(a -> sourcesAt(url, a).forEach(s -> wanted.add(s.targetRevision())));
    return gitOps
        .executeBlocking(
            () -> {
              // Local reads of the mirror just fetched: quick, no network.
              Map<String, String> shas = new TreeMap<>();
              for (String revision : wanted) {
                try {
                  shas.put(revision, fetcher.repositories().resolveLocal(url, revision));
                } catch (GitInputException e) {
                  LOG.warn("{}", e.getMessage());
                }
              }
              return shas;
            },
            false)
        .compose(
            shas -> {
              List<Future<List<String>>> updates = new ArrayList<>();
              shas.forEach(
                  (revision, sha) -> {
                    if (byRevision.containsKey(revision)) {
                      updates.add(applications.updateRevision(sha, byRevision.get(revision)));
                    }
                  });
              for (StoredApplication a : multi) {
                String joined = a.revision();
                int count = SourceRevisions.sources(a.spec()).size();
                for (SourceRevisions.GitSource s : sourcesAt(url, a)) {
                  String sha = shas.get(s.targetRevision());
                  if (sha != null) {
                    joined = SourceRevisions.with(joined, count, s.index(), sha);
                  }
                }
                if (!joined.equals(a.revision())) {
                  updates.add(applications.replaceRevision(a.name(), a.revision(), joined));
                }
              }
              return Future.join(updates)
                  .transform(
                      ar -> {
                        Set<String> clusters = new TreeSet<>();
                        int moved = 0;
                        for (Future<List<String>> f : updates) {
                          if (f.succeeded()) {
                            moved += f.result().size();
                            f.result().stream().filter(c -> c != null).forEach(clusters::add);
                          }
                        }
                        if (moved > 0) {
                          // The first phases of webhook -> applied (BENCHMARKS.md, issue 13).
                          LOG.info(
                              "moved {} Applications of {} to {}: fetched in {} ms, stored in {}"
                                  + " ms; resyncing the agents of {} clusters",
                              moved,
                              url,
                              shas.values(),
                              (fetched - started) / 1_000_000,
                              (System.nanoTime() - fetched) / 1_000_000,
                              clusters.size());
                        }
                        return dispatcher.clustersChanged(clusters);
                      });
            });
  }
}
