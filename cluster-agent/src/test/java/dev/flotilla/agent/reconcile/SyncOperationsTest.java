package dev.flotilla.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.agent.reconcile.operation.OperationPhase;
import dev.flotilla.agent.reconcile.operation.OperationState;
import dev.flotilla.testkit.SteppingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How reconciles start, continue and end sync operations; no cluster involved. */
class SyncOperationsTest {

  final SteppingClock clock = new SteppingClock(Instant.parse("2026-01-01T10:00:00Z"));
  final AtomicInteger ids = new AtomicInteger();
  final SyncOperations ops = new SyncOperations(clock, () -> "op-" + ids.incrementAndGet());
  final AppSpec app =
      AppSpec.parse(
          "web",
          "default",
          "{\"source\":{\"path\":\"p\"},\"syncPolicy\":{\"automated\":{\"selfHeal\":true},"
              + "\"retry\":{\"limit\":5,\"backoff\":{\"duration\":\"40s\"}}}}");

  static ReconcileResult result(String message, boolean failed, SyncCounts counts) {
    return new ReconcileResult(
            failed ? SyncState.OUT_OF_SYNC : SyncState.SYNCED,
            HealthState.HEALTHY,
            "",
            message,
            failed,
            List.of())
        .withProgress(counts, Map.of(), WaveState.NONE);
  }

  static final SyncCounts CREATED = new SyncCounts(1, 0, 0, 0);
  static final SyncCounts NOTHING = new SyncCounts(0, 0, 1, 0);

  OperationState apply(String rev, ReconcileResult attempt, ReconcileResult judged, int retries) {
    ops.supersedeOther(app, rev);
    return ops.applied(app, rev, false, clock.instant(), attempt, judged, retries);
  }

  @Test
  void aFailingSyncRetriesAsOneRunningOperationUntilItSucceeds() {
    ReconcileResult failed = result("could not apply x", true, SyncCounts.NONE);
    OperationState first = apply("r1", failed, failed.requeuedAfter(Duration.ofSeconds(40)), 1);

    assertThat(first.phase()).isEqualTo(OperationPhase.RUNNING);
    assertThat(first.message()).isEqualTo("retrying (attempt 1 of 5) in 40s: could not apply x");
    assertThat(first.nextAttemptAt()).contains(clock.instant().plusSeconds(40));

    clock.advance(Duration.ofSeconds(40));
    OperationState done =
        apply("r1", result("applied 1", false, CREATED), result("applied 1", false, CREATED), 0);

    assertThat(done.id()).as("the same operation").isEqualTo(first.id());
    assertThat(done.phase()).isEqualTo(OperationPhase.SUCCEEDED);
    assertThat(done.retryCount()).isEqualTo(1);
    assertThat(done.finishedAt()).contains(clock.instant());
    assertThat(ops.deployedRevision("web")).contains("r1");
  }

  @Test
  void aSelfHealThatWritesNothingKeepsTheLastOperationAndItsMessage() {
    OperationState created =
        apply("r1", result("created 1", false, CREATED), result("created 1", false, CREATED), 0);
    clock.advance(Duration.ofSeconds(2));

    OperationState after =
        apply("r1", result("created 0", false, NOTHING), result("created 0", false, NOTHING), 0);

    assertThat(after).isEqualTo(created);
    assertThat(ops.current("web").orElseThrow().message()).isEqualTo("created 1");
  }

  @Test
  void aSelfHealThatRepairsSomethingIsANewAutomatedOperation() {
    OperationState first =
        apply("r1", result("created 1", false, CREATED), result("created 1", false, CREATED), 0);
    SyncCounts patched = new SyncCounts(0, 1, 0, 0);

    OperationState heal =
        apply("r1", result("patched 1", false, patched), result("patched 1", false, patched), 0);

    assertThat(heal.id()).isNotEqualTo(first.id());
    assertThat(heal.automated()).isTrue();
    assertThat(heal.message()).isEqualTo("patched 1");
  }

  @Test
  void aNewRevisionSupersedesARetryingOperationAndStartsItsOwn() {
    ReconcileResult failed = result("could not apply x", true, SyncCounts.NONE);
    OperationState old = apply("r1", failed, failed.requeuedAfter(Duration.ofSeconds(40)), 1);

    assertThat(ops.supersedeOther(app, "r2")).isTrue();
    assertThat(ops.current("web").orElseThrow().phase()).isEqualTo(OperationPhase.FAILED);
    assertThat(ops.current("web").orElseThrow().message()).startsWith("superseded by revision r2");
    OperationState next =
        ops.applied(
            app,
            "r2",
            false,
            clock.instant(),
            result("ok", false, CREATED),
            result("ok", false, CREATED),
            0);

    assertThat(next.id()).isNotEqualTo(old.id());
    assertThat(next.revision()).isEqualTo("r2");
    assertThat(next.phase()).isEqualTo(OperationPhase.SUCCEEDED);
  }

  @Test
  void terminationEndsOnlyARunningOperation() {
    assertThat(ops.terminate("web")).as("nothing runs yet").isFalse();
    ReconcileResult waiting =
        result("waiting for healthy state of x", false, CREATED)
            .requeuedAfter(Duration.ofSeconds(1));
    apply("r1", waiting, waiting, 0);

    assertThat(ops.terminate("web")).isTrue();

    OperationState op = ops.current("web").orElseThrow();
    assertThat(op.phase()).isEqualTo(OperationPhase.FAILED);
    assertThat(op.message())
        .isEqualTo("operation terminated (was: waiting for healthy state of x)");
    assertThat(ops.terminate("web")).isFalse();
    assertThat(ops.deployedRevision("web")).isEmpty();
  }

  @Test
  void aFailureBeforeAnythingWasPlannedIsAnErrorAndARequestedSyncIsNotAutomated() {
    ReconcileResult render = ReconcileResult.failure("render failed: bad yaml");

    OperationState op = ops.applied(app, "r1", true, clock.instant(), render, render, 0);

    assertThat(op.phase()).isEqualTo(OperationPhase.ERROR);
    assertThat(op.automated()).isFalse();
  }

  @Test
  void aComparisonFindingTheClusterEqualSaysWhatIsDeployed() {
    ops.compared("web", "r0", result("compared", false, SyncCounts.NONE));
    assertThat(ops.deployedRevision("web")).contains("r0");

    ops.compared(
        "web",
        "r9",
        new ReconcileResult(
            SyncState.OUT_OF_SYNC, HealthState.HEALTHY, "", "compared", false, List.of()));
    assertThat(ops.deployedRevision("web")).as("out of sync with r9: r0 still runs").contains("r0");
  }
}
