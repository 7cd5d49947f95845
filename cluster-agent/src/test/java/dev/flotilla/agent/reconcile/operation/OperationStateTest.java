package dev.flotilla.agent.reconcile.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OperationStateTest {

  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  static final Instant T1 = T0.plusSeconds(30);
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  static final ObjectKey WEB = new ObjectKey("apps", "v1", "Deployment", "shop", "web");
  static final ObjectKey CFG = new ObjectKey("", "v1", "ConfigMap", "shop", "cfg");

  static OperationState started() {
    return OperationState.start("op-1", SHA, true, T0);
  }

  @Test
  void aNewOperationRunsAndSaysWhatItSyncs() {
    OperationState op = started();

    assertThat(op.phase()).isEqualTo(OperationPhase.RUNNING);
    assertThat(op.running()).isTrue();
    assertThat(op.message()).isEqualTo("syncing to 0123456");
    assertThat(op.revision()).isEqualTo(SHA);
    assertThat(op.startedAt()).isEqualTo(T0);
    assertThat(op.finishedAt()).isEmpty();
    assertThat(op.automated()).isTrue();
  }

  @Test
  void aRetryKeepsItRunningWithTheAttemptTheLimitAndTheNextAttemptTime() {
    OperationState op =
        started()
            .retrying(
                3,
                5,
                Duration.ofSeconds(40),
                "could not apply ConfigMap shop/cfg: conflict",
                List.of(ResourceResult.of(CFG, ResultCode.SYNC_FAILED, "conflict", 0)),
                T1);

    assertThat(op.phase()).isEqualTo(OperationPhase.RUNNING);
    assertThat(op.message())
        .isEqualTo(
            "retrying (attempt 3 of 5) in 40s: could not apply ConfigMap shop/cfg: conflict");
    assertThat(op.retryCount()).isEqualTo(3);
    assertThat(op.nextAttemptAt()).contains(T1.plusSeconds(40));
    assertThat(op.finishedAt()).isEmpty();
    assertThat(op.resources())
        .extracting(ResourceResult::status)
        .containsExactly(ResultCode.SYNC_FAILED);
  }

  @Test
  void retriesWithoutALimitSaySo() {
    OperationState op = started().retrying(7, -1, Duration.ofMillis(250), "boom", List.of(), T1);

    assertThat(op.message()).isEqualTo("retrying (attempt 7, no limit) in 250ms: boom");
  }

  @Test
  void progressAfterARetryDropsTheScheduledAttemptAndKeepsEarlierResults() {
    OperationState op =
        started()
            .retrying(
                1,
                5,
                Duration.ofSeconds(10),
                "boom",
                List.of(ResourceResult.of(CFG, ResultCode.SYNC_FAILED, "boom", 0)),
                T1)
            .progressing(
                "waiting for healthy state of apps/Deployment shop/web (wave 2)",
                List.of(
                    ResourceResult.of(CFG, ResultCode.SYNCED, "configured", 0),
                    ResourceResult.of(WEB, ResultCode.SYNCED, "created", 2)));

    assertThat(op.phase()).isEqualTo(OperationPhase.RUNNING);
    assertThat(op.nextAttemptAt()).isEmpty();
    assertThat(op.retryCount()).as("retries so far stay counted").isEqualTo(1);
    assertThat(op.resources())
        .extracting(ResourceResult::key, ResourceResult::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(CFG, ResultCode.SYNCED),
            org.assertj.core.groups.Tuple.tuple(WEB, ResultCode.SYNCED));
  }

  record Case(
      String name, UnaryOperator<OperationState> transition, OperationPhase phase, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> endings() {
    return Stream.of(
        new Case(
            "succeeded",
            op -> op.succeeded("applied 2 objects (created 1)", List.of(), T1),
            OperationPhase.SUCCEEDED,
            "applied 2 objects (created 1)"),
        new Case(
            "failed",
            op -> op.failed("could not apply x", List.of(), T1),
            OperationPhase.FAILED,
            "could not apply x"),
        new Case(
            "errored before anything was applied",
            op -> op.errored("render failed: bad yaml", T1),
            OperationPhase.ERROR,
            "render failed: bad yaml"),
        new Case(
            "terminated",
            op -> op.terminated(T1),
            OperationPhase.FAILED,
            "operation terminated (was: syncing to 0123456)"),
        new Case(
            "superseded by a newer commit",
            op -> op.superseded("fedcba9876543210fedcba9876543210fedcba98", T1),
            OperationPhase.FAILED,
            "superseded by revision fedcba9 (was: syncing to 0123456)"),
        new Case(
            "superseded by a newer spec",
            op -> op.superseded(SHA, T1),
            OperationPhase.FAILED,
            "superseded by a newer spec (was: syncing to 0123456)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("endings")
  void everyEndingFinishesTheOperationAndTakesNoFurtherTransition(Case c) {
    OperationState retrying = started().retrying(1, 5, Duration.ofSeconds(5), "x", List.of(), T0);
    OperationState ended = c.transition().apply(started());

    assertThat(ended.phase()).isEqualTo(c.phase());
    assertThat(ended.message()).isEqualTo(c.message());
    assertThat(ended.running()).isFalse();
    assertThat(ended.finishedAt()).contains(T1);
    assertThat(ended.startedAt()).isEqualTo(T0);
    assertThat(c.transition().apply(retrying).nextAttemptAt())
        .as("an ended operation schedules nothing")
        .isEmpty();
    assertThatThrownBy(() -> ended.succeeded("again", List.of(), T1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("op-1 already ended as " + c.phase().label());
    assertThatThrownBy(() -> ended.progressing("waiting", List.of()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void durationsReadAsPeopleSayThem() {
    assertThat(OperationState.describe(Duration.ofMillis(200))).isEqualTo("200 ms");
    assertThat(OperationState.describe(Duration.ofSeconds(40))).isEqualTo("40 s");
    assertThat(OperationState.describe(Duration.ofMillis(1500))).isEqualTo("1.5 s");
    assertThat(OperationState.describe(Duration.ofMinutes(10))).isEqualTo("10 min");
    assertThat(OperationState.describe(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
  }
}
