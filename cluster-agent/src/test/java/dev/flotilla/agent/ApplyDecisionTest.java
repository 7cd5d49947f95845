package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** When a reconcile writes to the cluster and when it only compares. */
class ApplyDecisionTest {

  private static final String TARGET = "3@abc";

  record Case(
      String name,
      boolean automated,
      boolean selfHeal,
      boolean windowClosed,
      boolean manual,
      String lastApplied,
      boolean apply,
      boolean heldByWindow) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("manual policy only compares", false, false, false, false, null, false, false),
        new Case(
            "manual policy with a manual sync applies",
            false,
            false,
            false,
            true,
            null,
            true,
            false),
        new Case("automated applies a new target", true, false, false, false, null, true, false),
        new Case(
            "automated applies a target once", true, false, false, false, TARGET, false, false),
        new Case(
            "automated applies a newer commit", true, false, false, false, "3@old", true, false),
        new Case(
            "automated applies a newer generation",
            true,
            false,
            false,
            false,
            "2@abc",
            true,
            false),
        new Case(
            "selfHeal applies the same target again",
            true,
            true,
            false,
            false,
            TARGET,
            true,
            false),
        new Case(
            "a closed window holds automated sync back",
            true,
            false,
            true,
            false,
            null,
            false,
            true),
        new Case(
            "a closed window holds self-heal back", true, true, true, false, TARGET, false, true),
        new Case(
            "a manual sync goes through a closed window",
            true,
            true,
            true,
            true,
            TARGET,
            true,
            true),
        new Case(
            "a closed window means nothing without automated sync",
            false,
            false,
            true,
            false,
            null,
            false,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(Case c) {
    ApplyDecision decision =
        ApplyDecision.decide(
            c.automated(), c.selfHeal(), c.windowClosed(), c.manual(), TARGET, c.lastApplied());

    assertThat(decision).isEqualTo(new ApplyDecision(c.apply(), c.heldByWindow()));
  }
}
