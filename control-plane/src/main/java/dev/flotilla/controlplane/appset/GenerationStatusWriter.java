package dev.flotilla.controlplane.appset;

import dev.flotilla.controlplane.appset.ApplicationSetRepository.StoredApplicationSet;
import dev.flotilla.controlplane.appset.plan.GenerationPlan;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the status of each generation attempt, whatever its outcome (see {@link
 * GenerationStatus}), and remembers when each ApplicationSet is due again.
 */
final class GenerationStatusWriter {

  private static final Logger LOG = LoggerFactory.getLogger(GenerationStatusWriter.class);

  /**
   * A step of the reconcile chain that failed: how the status shows it, and the cause to pass on.
   */
  record StepFailed(GenerationStatus.Failure failure, Throwable cause) {

    static StepFailed generate(Throwable cause) {
      return of(
          "generate", "ApplicationParamsGenerationError", "generation could not run: ", cause);
    }

    static StepFailed persist(Throwable cause) {
      return of(
          "persist",
          "UpdateApplicationError",
          "storing the generated Applications failed (nothing was changed): ",
          cause);
    }

    static StepFailed dispatch(Throwable cause) {
      return of("dispatch", "DispatchError", "telling the agents failed: ", cause);
    }

    private static StepFailed of(String step, String reason, String what, Throwable cause) {
      String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
      return new StepFailed(new GenerationStatus.Failure(step, reason, what + message), cause);
    }
  }

  private final ApplicationSetRepository applicationSets;
  private final Duration defaultRequeue;
  private final Clock clock;
  private final Map<String, Instant> nextDue = new ConcurrentHashMap<>();

  GenerationStatusWriter(
      ApplicationSetRepository applicationSets, Duration defaultRequeue, Clock clock) {
    this.applicationSets = applicationSets;
    this.defaultRequeue = defaultRequeue;
    this.clock = clock;
  }

  /** Whether {@code name}'s requeue time has come (or it never generated). */
  boolean isDue(String name, Instant now) {
    return !nextDue.getOrDefault(name, Instant.MIN).isAfter(now);
  }

  void forget(String name) {
    nextDue.remove(name);
  }

  /**
   * Writes the status of this attempt; fails with the step's cause when a step failed.
   *
   * @param plan the plan, or null when the run failed before planning
   * @param failed the step that failed, or null
   * @param changesStored whether the plan's changes were stored
   */
  Future<Void> write(
      StoredApplicationSet stored, GenerationPlan plan, StepFailed failed, boolean changesStored) {
    Instant now = clock.instant();
    Duration requeue = plan == null ? defaultRequeue : plan.requeueAfter().orElse(defaultRequeue);
    nextDue.put(stored.name(), now.plus(requeue));
    JsonObject status =
        GenerationStatus.of(
            stored.status(),
            plan,
            failed == null ? null : failed.failure(),
            changesStored,
            requeue,
            now);
    if (plan != null && !plan.errors().isEmpty()) {
      LOG.warn("ApplicationSet {}: {}", stored.name(), plan.errors());
    }
    Future<Void> written = applicationSets.updateStatus(stored.name(), status);
    if (failed == null) {
      return written;
    }
    return written.transform(
        ar -> {
          if (ar.failed()) {
            failed.cause().addSuppressed(ar.cause());
          }
          return Future.failedFuture(failed.cause());
        });
  }
}
