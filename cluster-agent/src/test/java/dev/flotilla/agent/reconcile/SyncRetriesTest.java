package dev.flotilla.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.reconcile.health.HealthState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Argo CD's retry {limit, backoff {duration, factor, maxDuration}} as answers to the queue. */
class SyncRetriesTest {

  static AppSpec app(String retry) {
    return AppSpec.parse(
        "web",
        "default",
        "{\"source\":{\"path\":\"p\"},\"syncPolicy\":{\"automated\":{}"
            + (retry == null ? "" : ",\"retry\":" + retry)
            + "}}");
  }

  static final ReconcileResult FAILED =
      new ReconcileResult(
          SyncState.OUT_OF_SYNC, HealthState.HEALTHY, "", "could not apply", true, List.of());
  static final ReconcileResult OK =
      new ReconcileResult(SyncState.SYNCED, HealthState.HEALTHY, "", "applied", false, List.of());
  static final ReconcileResult WAITING = OK.requeuedAfter(Duration.ofSeconds(1));

  /** One attempt: at which revision, with which outcome. */
  record Step(String revision, ReconcileResult result) {}

  /**
   * @param expected per step: the delay asked for ("-" for none) and how the message ends
   */
  record Case(String name, String retry, List<Step> steps, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Step fail(String rev) {
    return new Step(rev, FAILED);
  }

  static Stream<Case> cases() {
    String limit2 =
        "{\"limit\":2,\"backoff\":{\"duration\":\"1s\",\"factor\":2,\"maxDuration\":\"3m\"}}";
    String forever =
        "{\"limit\":-1,\"backoff\":{\"duration\":\"10s\",\"factor\":3,\"maxDuration\":\"1m\"}}";
    return Stream.of(
        new Case(
            "no retry policy: one attempt, no requeue",
            null,
            List.of(fail("r1"), fail("r1")),
            List.of("- could not apply", "- could not apply")),
        new Case(
            "limit 2: two retries with doubling backoff, then the round ends and a new one starts",
            limit2,
            List.of(fail("r1"), fail("r1"), fail("r1"), fail("r1")),
            List.of(
                "PT1S retrying (attempt 1 of 2) in 1s: could not apply",
                "PT2S retrying (attempt 2 of 2) in 2s: could not apply",
                "- could not apply (retried 2 times)",
                "PT1S retrying (attempt 1 of 2) in 1s: could not apply")),
        new Case(
            "limit -1: never ends, the backoff is capped at maxDuration",
            forever,
            List.of(fail("r1"), fail("r1"), fail("r1"), fail("r1")),
            List.of(
                "PT10S retrying (attempt 1, no limit) in 10s: could not apply",
                "PT30S retrying (attempt 2, no limit) in 30s: could not apply",
                "PT1M retrying (attempt 3, no limit) in 1m: could not apply",
                "PT1M retrying (attempt 4, no limit) in 1m: could not apply")),
        new Case(
            "a new revision supersedes the failing one and counts afresh, also with limit -1",
            forever,
            List.of(fail("r1"), fail("r1"), fail("r2")),
            List.of(
                "PT10S retrying (attempt 1, no limit) in 10s: could not apply",
                "PT30S retrying (attempt 2, no limit) in 30s: could not apply",
                "PT10S retrying (attempt 1, no limit) in 10s: could not apply")),
        new Case(
            "a success ends the retries",
            forever,
            List.of(fail("r1"), new Step("r1", OK), fail("r1")),
            List.of(
                "PT10S retrying (attempt 1, no limit) in 10s: could not apply",
                "- applied",
                "PT10S retrying (attempt 1, no limit) in 10s: could not apply")),
        new Case(
            "waiting for a wave is neither a failure nor a success",
            limit2,
            List.of(fail("r1"), new Step("r1", WAITING), fail("r1")),
            List.of(
                "PT1S retrying (attempt 1 of 2) in 1s: could not apply",
                "PT1S applied",
                "PT2S retrying (attempt 2 of 2) in 2s: could not apply")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void answersEachAttempt(Case c) {
    SyncRetries retries = new SyncRetries();
    AppSpec app = app(c.retry());
    List<String> got = new ArrayList<>();
    for (Step step : c.steps()) {
      ReconcileResult r = retries.judge(app, step.revision(), step.result());
      got.add(r.requeueAfter().map(Duration::toString).orElse("-") + " " + r.message());
    }
    assertThat(got).containsExactlyElementsOf(c.expected());
  }

  @org.junit.jupiter.api.Test
  void aChangedSpecAtTheSameRevisionAlsoCountsAfresh() {
    SyncRetries retries = new SyncRetries();
    String forever = "{\"limit\":-1,\"backoff\":{\"duration\":\"10s\"}}";
    retries.judge(app(forever), "r1", FAILED);
    assertThat(retries.judge(app(forever), "r1", FAILED).message())
        .isEqualTo("retrying (attempt 2, no limit) in 20s: could not apply");

    AppSpec changed = app("{\"limit\":-1,\"backoff\":{\"duration\":\"5s\"}}");
    ReconcileResult r = retries.judge(changed, "r1", FAILED);

    assertThat(r.message()).startsWith("retrying (attempt 1, no limit) in 5s");
    assertThat(r.requeueAfter()).isEqualTo(Optional.of(Duration.ofSeconds(5)));
  }
}
