package dev.flotilla.controlplane.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.access.Caller;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which drift a caller sees: exactly the Applications it may get, decided by the policy. */
class DriftScopeTest {

  record Case(String name, Caller caller, String project, String app, boolean sees) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final Caller TEAM_A =
      TestCallers.member("team-a", "p, team-a, applications, get, team-a/*, allow");

  static Stream<Case> cases() {
    Caller webOnly =
        TestCallers.member("team-a", "p, team-a, applications, get, shop/web-*, allow");
    Caller allButSecret =
        TestCallers.member(
            "team-a",
            "p, team-a, applications, get, shop/*, allow\n"
                + "p, team-a, applications, get, shop/vault, deny");
    Caller syncOnly =
        TestCallers.member("team-a", "p, team-a, applications, sync, team-a/*, allow");
    Caller setsOnly =
        TestCallers.member("team-a", "p, team-a, applicationsets, get, team-a/*, allow");
    Caller defaultProject =
        TestCallers.member("team-a", "p, team-a, applications, get, default/*, allow");
    return Stream.of(
        new Case("own project", TEAM_A, "team-a", "billing", true),
        new Case("other project", TEAM_A, "team-b", "billing", false),
        new Case("project name prefix is not the project", TEAM_A, "team-ab", "x", false),
        new Case("per-application policy, match", webOnly, "shop", "web-eu", true),
        new Case("per-application policy, no match", webOnly, "shop", "api-eu", false),
        new Case("a deny wins", allButSecret, "shop", "vault", false),
        new Case("the rest of the denied project", allButSecret, "shop", "cart", true),
        new Case("sync without get sees nothing", syncOnly, "team-a", "billing", false),
        new Case("applicationsets are another resource", setsOnly, "team-a", "billing", false),
        new Case("empty project is the default project", defaultProject, "", "x", true),
        new Case("system sees all", Caller.SYSTEM, "anything", "at-all", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void seesExactlyWhatThePolicyLetsItGet(Case c) {
    assertThat(DriftScope.of(c.caller()).sees(c.project(), c.app())).isEqualTo(c.sees());
  }
}
