package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The parts of the account commands that need no server. */
class AccountCommandsTest {

  record Lockout(String name, String current, String next, List<String> dropped) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Lockout> lockouts() {
    String admin = "# bootstrap\ng, admin, role:admin\n";
    return Stream.of(
        new Lockout("kept as is", admin, admin, List.of()),
        new Lockout("kept with other spacing", admin, "g,admin ,  role:admin\r\n", List.of()),
        new Lockout(
            "binding dropped",
            admin,
            "p, team-a, applications, get, *, allow\n",
            List.of("g, admin, role:admin")),
        new Lockout("comment dropped only", admin, "g, admin, role:admin", List.of()),
        new Lockout(
            "team binding dropped",
            "g, ops, role:admin\ng, other, role:admin\n",
            "",
            List.of("g, ops, role:admin")),
        new Lockout(
            "allow line dropped",
            "p, admin, *, *, *, allow\n",
            "",
            List.of("p, admin, *, *, *, allow")),
        new Lockout("deny line dropped", "p, admin, clusters, delete, *, deny\n", "", List.of()),
        new Lockout("someone else's line dropped", "g, bob, role:admin\n", "", List.of()),
        new Lockout("empty before", "", "g, admin, role:admin\n", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lockouts")
  void policySetSeesLinesThatWouldLockTheCallerOut(Lockout c) {
    assertThat(PolicyCommand.droppedGrants(c.current(), c.next(), Set.of("admin", "ops")))
        .containsExactlyElementsOf(c.dropped());
  }

  record Message(String server, String shown) {
    @Override
    public String toString() {
      return server;
    }
  }

  static Stream<Message> messages() {
    return Stream.of(
        new Message("expiresIn: must be a duration", "--expires-in: must be a duration"),
        new Message("expiresAt: must lie in the future", "--expires-at: must lie in the future"),
        new Message("role: must be letters", "--role: must be letters"),
        new Message("user 'x' does not exist", "user 'x' does not exist"),
        new Message("permission denied: 'bob' may not", "permission denied: 'bob' may not"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void tokenErrorsNameTheFlagInsteadOfTheJsonField(Message c) {
    assertThat(TokenCommand.inFlags(c.server())).isEqualTo(c.shown());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("times")
  void timesAreShownToTheSecondInUtc(String server, String shown) {
    assertThat(AccountOutput.time(server)).isEqualTo(shown);
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> times() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of(
            "2026-11-22T16:27:08.123456Z", "2026-11-22T16:27:08Z"),
        org.junit.jupiter.params.provider.Arguments.of(
            "2026-11-22T17:27:08.5+01:00", "2026-11-22T16:27:08Z"),
        org.junit.jupiter.params.provider.Arguments.of("not a time", "not a time"),
        org.junit.jupiter.params.provider.Arguments.of(null, ""));
  }

  @org.junit.jupiter.api.Test
  void queryValuesAreEncoded() {
    assertThat(new QueryString().add("actor", "a b").add("kind", null).add("limit", 5).toString())
        .isEqualTo("?actor=a+b&limit=5");
    assertThat(new QueryString().toString()).isEmpty();
  }
}
