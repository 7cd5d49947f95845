package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.operation.OperationState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Argo CD's {@code syncPolicy.retry} ({@code limit}, {@code backoff {duration, factor,
 * maxDuration}}) as state per Application, kept outside the worker: a failed sync is not retried in
 * a loop but answered with "come back after the backoff", and the next attempt is a whole new
 * reconcile that re-renders the newest desired state. A new revision or spec (a new commit, a new
 * generation) supersedes the failing one and starts counting afresh, also with {@code limit: -1}.
 * Once the limit is spent the count is dropped, so the next trigger (resync, refresh) starts a new
 * round, as each trigger did when the retries ran in one loop.
 */
final class SyncRetries {

  private static final Logger LOG = LoggerFactory.getLogger(SyncRetries.class);

  private record Failing(AppSpec app, String revision, int failures) {}

  private final Map<String, Failing> failing = new ConcurrentHashMap<>();

  /**
   * Judges the outcome of one applying reconcile of {@code app} at {@code revision}: a failure that
   * the retry policy still allows comes back with when to try again; every failed result after the
   * first attempt says which attempt it was.
   */
  ReconcileResult judge(AppSpec app, String revision, ReconcileResult result) {
    String name = app.name();
    if (result.inProgress()) {
      return result; // waiting for health is not a failure
    }
    if (!result.failed()) {
      failing.remove(name);
      return result;
    }
    Failing before = failing.get(name);
    int attempt =
        before != null && before.revision().equals(revision) && before.app().equals(app)
            ? before.failures() + 1
            : 1;
    AppSpec.Retry retry = app.syncPolicy().retry();
    boolean again = retry != null && (retry.limit() < 0 || attempt <= retry.limit());
    if (!again) {
      failing.remove(name);
      // Argo CD's wording once the retries are spent.
      return attempt > 1
          ? result.withMessage(
              result.message()
                  + " (retried "
                  + (attempt - 1)
                  + (attempt == 2 ? " time)" : " times)"))
          : result;
    }
    failing.put(name, new Failing(app, revision, attempt));
    Duration wait = retry.backoff(attempt);
    LOG.info("sync of {} failed ({}); retry {} in {}", name, result.message(), attempt, wait);
    return result
        .withMessage(retryMessage(attempt, retry.limit(), wait, result.message()))
        .requeuedAfter(wait);
  }

  /**
   * "retrying (attempt 3 of 5) in 40s: error": the {@code retry}-th of {@code limit} retries comes
   * after {@code wait} (a negative limit: retries without a limit).
   */
  static String retryMessage(int retry, int limit, Duration wait, String error) {
    return OperationState.retryMessage(retry, limit, wait, error);
  }

  /** How many failed attempts of {@code application}'s current sync are being retried. */
  int failures(String application) {
    Failing f = failing.get(application);
    return f == null ? 0 : f.failures();
  }

  void forget(String application) {
    failing.remove(application);
  }
}
