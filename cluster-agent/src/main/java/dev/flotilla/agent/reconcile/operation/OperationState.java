package dev.flotilla.agent.reconcile.operation;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One sync operation of one Application, as Argo CD's {@code status.operationState}: which commit
 * it syncs, since when, how it is doing ({@link OperationPhase}, a message a person can act on),
 * retries and the next attempt, and what it did to each object. Immutable: every transition returns
 * a new state, and a completed operation accepts none.
 *
 * @param id new for each operation
 * @param revision the commit it syncs (Argo's {@code syncResult.revision})
 * @param automated started by the sync policy (automated sync, self-heal) rather than a request
 * @param finishedAt empty while it runs
 * @param retryCount failed attempts retried so far under {@code syncPolicy.retry}
 * @param nextAttemptAt when the next attempt runs, while one is scheduled
 */
public record OperationState(
    String id,
    OperationPhase phase,
    String message,
    String revision,
    boolean automated,
    Instant startedAt,
    Optional<Instant> finishedAt,
    int retryCount,
    Optional<Instant> nextAttemptAt,
    List<ResourceResult> resources) {

  public OperationState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(phase, "phase");
    message = message == null ? "" : message;
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    resources = List.copyOf(resources);
  }

  /** A new operation syncing {@code revision}, running from {@code now}. */
  public static OperationState start(String id, String revision, boolean automated, Instant now) {
    return new OperationState(
        id,
        OperationPhase.RUNNING,
        "syncing to " + shortRevision(revision),
        revision,
        automated,
        now,
        Optional.empty(),
        0,
        Optional.empty(),
        List.of());
  }

  public boolean running() {
    return !phase.completed();
  }

  /** Still running, e.g. waiting for a wave to become healthy; no retry is scheduled any more. */
  public OperationState progressing(String why, List<ResourceResult> results) {
    requireRunning("progress");
    return new OperationState(
        id,
        OperationPhase.RUNNING,
        why,
        revision,
        automated,
        startedAt,
        Optional.empty(),
        retryCount,
        Optional.empty(),
        merge(results));
  }

  /**
   * An attempt failed and the retry policy allows another after {@code wait}: still running, with
   * "retrying (attempt 3 of 5) in 40s: error" ({@code limit} below zero: without a limit).
   */
  public OperationState retrying(
      int retry,
      int limit,
      Duration wait,
      String error,
      List<ResourceResult> results,
      Instant now) {
    requireRunning("retry");
    return new OperationState(
        id,
        OperationPhase.RUNNING,
        retryMessage(retry, limit, wait, error),
        revision,
        automated,
        startedAt,
        Optional.empty(),
        retry,
        Optional.of(now.plus(wait)),
        merge(results));
  }

  public OperationState succeeded(String summary, List<ResourceResult> results, Instant now) {
    return end(OperationPhase.SUCCEEDED, summary, results, now);
  }

  public OperationState failed(String error, List<ResourceResult> results, Instant now) {
    return end(OperationPhase.FAILED, error, results, now);
  }

  public OperationState errored(String error, Instant now) {
    return end(OperationPhase.ERROR, error, List.of(), now);
  }

  /** Stopped on request ({@code app terminate-op}). */
  public OperationState terminated(Instant now) {
    return end(OperationPhase.FAILED, "operation terminated" + lastWords(), List.of(), now);
  }

  /**
   * A newer commit or spec arrived while this one waited or retried: it ends, the new one starts.
   */
  public OperationState superseded(String newRevision, Instant now) {
    String by =
        newRevision.equals(revision) ? "a newer spec" : "revision " + shortRevision(newRevision);
    return end(OperationPhase.FAILED, "superseded by " + by + lastWords(), List.of(), now);
  }

  private String lastWords() {
    return message.isEmpty() ? "" : " (was: " + message + ")";
  }

  private OperationState end(
      OperationPhase to, String why, List<ResourceResult> results, Instant now) {
    requireRunning(to.label());
    return new OperationState(
        id,
        to,
        why,
        revision,
        automated,
        startedAt,
        Optional.of(now),
        retryCount,
        Optional.empty(),
        merge(results));
  }

  private void requireRunning(String transition) {
    if (!running()) {
      throw new IllegalStateException(
          "operation " + id + " already ended as " + phase.label() + "; cannot " + transition);
    }
  }

  /**
   * The newest result of each object: an attempt that stopped early (a wave not yet healthy) keeps
   * what earlier attempts of this operation did to later objects.
   */
  private List<ResourceResult> merge(List<ResourceResult> newer) {
    if (newer.isEmpty()) {
      return resources;
    }
    Map<ObjectKey, ResourceResult> byKey = new LinkedHashMap<>();
    resources.forEach(r -> byKey.put(r.key(), r));
    newer.forEach(r -> byKey.put(r.key(), r));
    return List.copyOf(byKey.values());
  }

  /**
   * "retrying (attempt 3 of 5) in 40s: error" (a negative limit: "attempt 3, no limit"). Argo CD
   * says the attempt and the time of the next ("Retrying attempt #3 at 3:04PM"); the wait reads
   * without a clock, and the time itself is {@link #nextAttemptAt()}.
   */
  public static String retryMessage(int retry, int limit, Duration wait, String error) {
    return "retrying (attempt "
        + retry
        + (limit < 0 ? ", no limit" : " of " + limit)
        + ") in "
        + describe(wait).replace(" min", "m").replace(" ", "")
        + ": "
        + error;
  }

  public static String shortRevision(String revision) {
    return revision.length() > 7 && revision.matches("[0-9a-f]+")
        ? revision.substring(0, 7)
        : revision;
  }

  /** "40 s", "250 ms", "2 min 5 s": for people, not parsers. */
  public static String describe(Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + " ms";
    }
    long s = d.toSeconds();
    if (s < 60) {
      return d.toMillis() % 1000 == 0
          ? s + " s"
          : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
    return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
  }
}
