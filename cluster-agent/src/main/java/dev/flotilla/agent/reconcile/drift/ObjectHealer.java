package dev.flotilla.agent.reconcile.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.DesiredState;
import dev.flotilla.agent.reconcile.LiveObjectCache;
import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ThreeWayMerge;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.agent.reconcile.plan.SyncPlanner;
import dev.flotilla.core.time.Durations;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-heal of one drifted object: writes the Application's desired object back, in the object's
 * own sync mode ({@code Replace=true}, {@code ServerSideApply=true}, else the three-way merge), on
 * a bounded pool ({@link HealQueue}) so that one object whose API call hangs never delays the heal
 * of another object or Application. Each write is guarded by the resourceVersion it was computed
 * from and re-read and retried a bounded number of times on conflict ({@link
 * ObjectApplier#ATTEMPTS}); when it still fails (a conflict storm, the request timeout, a server
 * error) the object — not its Application — is tried again after a doubling backoff.
 *
 * <p>Only an object that was applied from the current desired state heals alone ({@link
 * #healsAlone}): one that is still to be synced (a newer commit, a wave not reached yet) is left to
 * the reconcile of its whole Application, which keeps waves and hooks in order. The same check is
 * made on every re-read before a write, so a heal running beside a sync never puts back an older
 * desired state over the sync's newer one: it gives way to the reconcile instead.
 */
final class ObjectHealer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ObjectHealer.class);

  /** One object of one Application. */
  record Request(String application, ObjectKey key) {}

  /** Where the outcome of a heal goes; called on a heal thread. */
  interface Results {
    /** {@code key} equals its desired state again, as of {@code at}. */
    void healed(String application, ObjectKey key, Instant at);

    /** Written, but the server keeps something else ({@code left}); trying again would loop. */
    void notConverged(String application, ObjectKey key, List<ThreeWayMerge.Operation> left);

    /** Not for a single-object heal (e.g. another Application owns it): reconcile the whole app. */
    void handOver(String application);
  }

  private final ApplicationReconciler reconciler;
  private final LiveObjectCache cache;
  private final SelfHealSettings settings;
  private final Clock clock;
  private final Results results;
  private final ExecutorService pool;
  private final ScheduledExecutorService timers;
  private final HealQueue<Request> queue;
  private final Map<Request, Integer> failures = new ConcurrentHashMap<>();

  ObjectHealer(
      ApplicationReconciler reconciler,
      LiveObjectCache cache,
      SelfHealSettings settings,
      Clock clock,
      Results results) {
    this.reconciler = reconciler;
    this.cache = cache;
    this.settings = settings;
    this.clock = clock;
    this.results = results;
    this.pool = Executors.newFixedThreadPool(settings.threads(), named("self-heal"));
    this.timers = Executors.newSingleThreadScheduledExecutor(named("self-heal-retry"));
    this.queue = new HealQueue<>(pool, timers, this::attempt);
  }

  /**
   * True when {@code live} was last written from exactly {@code desired} (same last-applied
   * record), so that putting it back is what a sync would do too.
   */
  static boolean healsAlone(JsonNode desired, JsonNode live) {
    String wanted = lastApplied(desired);
    return !wanted.isEmpty() && wanted.equals(lastApplied(live));
  }

  private static String lastApplied(JsonNode obj) {
    return obj.path("metadata").path("annotations").path(Tracking.LAST_APPLIED).asText("");
  }

  /** Asks for a heal of {@code key}; never blocks (called on watch threads). */
  void heal(String application, ObjectKey key) {
    queue.submit(new Request(application, key));
  }

  /** Objects whose heal failed and waits for its next try. */
  Set<ObjectKey> retrying() {
    return queue.retrying().stream().map(Request::key).collect(java.util.stream.Collectors.toSet());
  }

  private Optional<Duration> attempt(Request request) {
    ObjectKey key = request.key();
    DesiredState state = reconciler.desiredState(request.application()).orElse(null);
    ObjectNode desired = state == null ? null : state.objects().get(key);
    if (desired == null || !state.app().syncPolicy().selfHeal()) {
      // No longer desired, or self-heal turned off (or suspended by a sync window) meanwhile.
      failures.remove(request);
      return Optional.empty();
    }
    AppSpec app = state.app();
    try {
      ObjectNode live = cache.caches(key.type()) ? cache.get(key) : reconciler.applier().get(key);
      ObjectApplier.Outcome outcome =
          reconciler
              .applier()
              .apply(
                  desired,
                  live,
                  mode(desired, app),
                  ApplicationReconciler.ignoredPointers(app, key),
                  app.syncPolicy().syncOptions().isTrue("RespectIgnoreDifferences"),
                  // A sync that wrote a newer desired state meanwhile wins: never put back the old.
                  current -> current == null || healsAlone(desired, current));
      failures.remove(request);
      List<ThreeWayMerge.Operation> left =
          ApplicationReconciler.differences(app, desired, outcome.live());
      if (left.isEmpty()) {
        results.healed(request.application(), key, clock.instant());
      } else {
        results.notConverged(request.application(), key, left);
      }
      return Optional.empty();
    } catch (ObjectApplier.OwnershipConflictException | ObjectApplier.SupersededException e) {
      failures.remove(request);
      results.handOver(request.application());
      return Optional.empty();
    } catch (KubernetesClientException | IllegalArgumentException e) {
      int failed = failures.merge(request, 1, Integer::sum);
      Duration again = settings.retryAfter(failed);
      LOG.warn(
          "self-heal of {} failed (try {}), trying again in {}: {}",
          key,
          failed,
          Durations.format(again),
          e.getMessage());
      return Optional.of(again);
    }
  }

  private static ObjectApplier.Mode mode(ObjectNode desired, AppSpec app) {
    return switch (SyncPlanner.modeFor(desired, app.syncPolicy().syncOptions())) {
      case PATCH -> ObjectApplier.Mode.PATCH;
      case REPLACE -> ObjectApplier.Mode.REPLACE;
      case SERVER_SIDE -> ObjectApplier.Mode.SERVER_SIDE;
    };
  }

  @Override
  public void close() {
    timers.shutdownNow();
    pool.shutdownNow();
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
