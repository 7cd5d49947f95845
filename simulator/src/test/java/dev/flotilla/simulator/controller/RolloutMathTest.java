package dev.flotilla.simulator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutMathTest {

  record Case(String name, String strategy, int replicas, int surge, int unavailable) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("defaults 25%/25% of 4", "{}", 4, 1, 1),
        new Case("25% of 3: surge rounds up, unavailable down", "{}", 3, 1, 0),
        new Case("counts", "{rollingUpdate: {maxSurge: 2, maxUnavailable: 1}}", 5, 2, 1),
        new Case(
            "both zero: one unavailable",
            "{rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}",
            3,
            0,
            1),
        new Case(
            "percent strings",
            "{rollingUpdate: {maxSurge: '50%', maxUnavailable: '50%'}}",
            3,
            2,
            1),
        new Case("unavailable capped at replicas", "{rollingUpdate: {maxUnavailable: 9}}", 2, 1, 2),
        new Case("Recreate has no limits", "{type: Recreate}", 3, 0, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void limits(Case c) {
    var d =
        SimFixture.yaml("spec: {replicas: %d, strategy: %s}".formatted(c.replicas(), c.strategy()));
    assertThat(RolloutMath.limits(d)).isEqualTo(new RolloutMath.Limits(c.surge(), c.unavailable()));
  }

  @Test
  void theNewReplicaSetGrowsWithinTheSurge() {
    assertThat(RolloutMath.newReplicaSetReplicas(3, 1, 0, 3)).isEqualTo(1);
    assertThat(RolloutMath.newReplicaSetReplicas(3, 1, 1, 4)).isEqualTo(1);
    assertThat(RolloutMath.newReplicaSetReplicas(3, 1, 1, 3)).isEqualTo(2);
    assertThat(RolloutMath.newReplicaSetReplicas(3, 1, 5, 5)).isEqualTo(3);
    assertThat(RolloutMath.newReplicaSetReplicas(4, 2, 0, 0)).isEqualTo(4);
  }

  @Test
  void oldReplicasGoOnlyAsFarAsAvailabilityAllows() {
    // 3 desired, 0 unavailable allowed, 4 pods of which the new one is not available yet.
    assertThat(RolloutMath.maxScaledDown(3, 0, 4, 1, 0)).isZero();
    // The new pod is available: one old may go.
    assertThat(RolloutMath.maxScaledDown(3, 0, 4, 1, 1)).isEqualTo(1);
    assertThat(RolloutMath.availableScaleDown(3, 0, 4)).isEqualTo(1);
    assertThat(RolloutMath.availableScaleDown(3, 1, 1)).isZero();
  }

  @Test
  void aBadSurgeValueIsNamed() {
    var d = SimFixture.yaml("spec: {replicas: 2, strategy: {rollingUpdate: {maxSurge: lots}}}");
    assertThatThrownBy(() -> RolloutMath.limits(d))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid value \"lots\": must be an integer or a percentage");
  }
}
