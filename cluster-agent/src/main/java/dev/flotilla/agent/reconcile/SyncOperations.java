package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.operation.OperationState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Each Application's sync operation, from the reconciles that carry it out: the first applying
 * reconcile of a target (revision and spec) starts one, the reconciles that retry it or wait for
 * its waves continue it, and the one that finishes, fails or errs ends it. A self-heal or resync
 * that finds nothing to write does not start a new one, so the last sync's result stays visible. A
 * reconcile of another target ends a running operation as superseded; a request ends it as
 * terminated. Also remembers what each Application last deployed.
 */
final class SyncOperations {

  private record Tracked(OperationState state, AppSpec app) {}

  private final Map<String, Tracked> operations = new ConcurrentHashMap<>();
  private final Map<String, String> deployed = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Supplier<String> ids;

  SyncOperations(Clock clock) {
    this(clock, () -> UUID.randomUUID().toString());
  }

  SyncOperations(Clock clock, Supplier<String> ids) {
    this.clock = clock;
    this.ids = ids;
  }

  Instant now() {
    return clock.instant();
  }

  Optional<OperationState> current(String application) {
    return Optional.ofNullable(operations.get(application)).map(Tracked::state);
  }

  /** The revision the last successful sync deployed, or a comparison found the cluster equal to. */
  Optional<String> deployedRevision(String application) {
    return Optional.ofNullable(deployed.get(application));
  }

  /**
   * Before an applying reconcile of {@code app} at {@code revision}: a running operation for
   * another target ends, superseded. True when one did.
   */
  boolean supersedeOther(AppSpec app, String revision) {
    Tracked t = operations.get(app.name());
    if (t == null || !t.state().running() || sameTarget(t, app, revision)) {
      return false;
    }
    operations.put(app.name(), new Tracked(t.state().superseded(revision, now()), t.app()));
    return true;
  }

  /** Ends the running operation on request; false when none runs. */
  boolean terminate(String application) {
    Tracked t = operations.get(application);
    if (t == null || !t.state().running()) {
      return false;
    }
    operations.put(application, new Tracked(t.state().terminated(now()), t.app()));
    return true;
  }

  /**
   * A comparison (nothing applied): the cluster equal to {@code revision} means that is what is
   * deployed, whoever put it there.
   */
  void compared(String application, String revision, ReconcileResult result) {
    if (!result.failed() && result.sync() == SyncState.SYNCED) {
      deployed.put(application, revision);
    }
  }

  /**
   * An applying reconcile of {@code app} at {@code revision} started at {@code startedAt}.
   *
   * @param attempt its own outcome
   * @param judged the outcome after the retry policy: requeued after the backoff when retried
   * @param retries failed attempts of this target being retried (0 when none)
   * @param requested a person asked for this sync (not the sync policy)
   */
  OperationState applied(
      AppSpec app,
      String revision,
      boolean requested,
      Instant startedAt,
      ReconcileResult attempt,
      ReconcileResult judged,
      int retries) {
    String name = app.name();
    Tracked t = operations.get(name);
    boolean continuing = t != null && t.state().running() && sameTarget(t, app, revision);
    boolean nothingHappened =
        !judged.failed() && !judged.inProgress() && judged.wroteNothing() && !requested;
    if (!continuing
        && nothingHappened
        && t != null
        && sameTarget(t, app, revision)
        && !t.state().running()) {
      // A self-heal or resync that found the cluster as the last operation left it.
      deployed.put(name, revision);
      return t.state();
    }
    OperationState op =
        continuing ? t.state() : OperationState.start(ids.get(), revision, !requested, startedAt);
    Instant now = now();
    OperationState next;
    if (judged.inProgress()) {
      next = op.progressing(judged.message(), judged.syncResults());
    } else if (judged.failed() && judged.requeueAfter().isPresent()) {
      Duration wait = judged.requeueAfter().get();
      next =
          op.retrying(
              retries,
              app.syncPolicy().retry().limit(),
              wait,
              attempt.message(),
              judged.syncResults(),
              now);
    } else if (judged.failed()) {
      next =
          startedNothing(judged)
              ? op.errored(judged.message(), now)
              : op.failed(judged.message(), judged.syncResults(), now);
    } else {
      next = op.succeeded(judged.message(), judged.syncResults(), now);
      deployed.put(name, revision);
    }
    operations.put(name, new Tracked(next, app));
    return next;
  }

  void forget(String application) {
    operations.remove(application);
    deployed.remove(application);
  }

  /** Failed before anything was planned (render, resource types, reading the cluster). */
  private static boolean startedNothing(ReconcileResult r) {
    return r.sync() == SyncState.UNKNOWN && r.resources().isEmpty() && r.syncResults().isEmpty();
  }

  private static boolean sameTarget(Tracked t, AppSpec app, String revision) {
    return t.state().revision().equals(revision) && t.app().equals(app);
  }
}
