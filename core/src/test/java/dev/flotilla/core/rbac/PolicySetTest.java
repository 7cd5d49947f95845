package dev.flotilla.core.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolicySetTest {

  record ParseError(String name, String csv, String location, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<ParseError> parseErrors() {
    String ok = "p, alice, applications, get, a/*, allow\n";
    return Stream.of(
        new ParseError(
            "unknown line type",
            ok + "x, alice, role:admin",
            "line 2",
            "starts with 'p' or 'g', found 'x'"),
        new ParseError("p with 5 fields", "p, alice, applications, get, a/*", "line 1", "6 fields"),
        new ParseError(
            "p with 7 fields",
            "p, alice, applications, get, a/*, allow, extra",
            "line 1",
            "found 7"),
        new ParseError("g with 2 fields", "\n# comment\ng, alice", "line 3", "3 fields"),
        new ParseError("g with 4 fields", "g, alice, team, role", "line 1", "3 fields"),
        new ParseError(
            "unknown resource",
            ok + ok + "p, alice, secrets, get, *, allow",
            "line 3",
            "unknown resource 'secrets'"),
        new ParseError(
            "resource with wrong case",
            "p, alice, Applications, get, *, allow",
            "line 1",
            "unknown resource 'Applications'"),
        new ParseError(
            "unknown action",
            "p, alice, applications, destroy, *, allow",
            "line 1",
            "unknown action 'destroy'"),
        new ParseError(
            "bad effect",
            "p, alice, applications, get, *, permit",
            "line 1",
            "effect must be 'allow' or 'deny', found 'permit'"),
        new ParseError("missing effect", "p, alice, applications, get, *, ", "line 1", "found ''"),
        new ParseError(
            "empty subject", "p, , applications, get, *, allow", "line 1", "subject is empty"),
        new ParseError(
            "empty object", "p, alice, applications, get, , allow", "line 1", "object is empty"),
        new ParseError("empty role", "g, alice, ", "line 1", "role is empty"),
        new ParseError(
            "quoted field",
            "p, \"alice, bob\", applications, get, *, allow",
            "line 1",
            "quoted fields"),
        new ParseError(
            "control character",
            "p, alice\u0000, applications, get, *, allow",
            "line 1",
            "control character"),
        new ParseError(
            "sql in a line type",
            "'; DROP TABLE rbac_policy; --",
            "line 1",
            "starts with 'p' or 'g'"),
        new ParseError("too large", "#".repeat(PolicySet.MAX_CHARS + 1), "policy", "longer than"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("parseErrors")
  void refusesBadPolicyNamingTheLine(ParseError c) {
    assertThatThrownBy(() -> PolicySet.parse(c.csv()))
        .isInstanceOfSatisfying(
            PolicyParseException.class,
            e -> {
              assertThat(e.location()).isEqualTo(c.location());
              assertThat(e.reason()).contains(c.reason());
              assertThat(e.getMessage()).startsWith(c.location() + ": ");
            });
  }

  @Test
  void parsesRulesBindingsCommentsAndBlankLines() {
    PolicySet set =
        PolicySet.parse(
            "# header\r\n\r\n  p ,alice,applications , sync,  a/* ,deny  \r\ng, alice, team-a\n");
    assertThat(set.rules())
        .containsExactly(new PolicyRule("alice", "applications", "sync", "a/*", false, 3));
    assertThat(set.bindings()).containsExactly(new RoleBinding("alice", "team-a", 4));
    assertThat(PolicySet.parse(set.toCsv()).rules()).hasSize(1);
  }

  @Test
  void emptyAndNullPoliciesHoldNothing() {
    assertThat(PolicySet.parse("").rules()).isEmpty();
    assertThat(PolicySet.parse(null).bindings()).isEmpty();
  }
}
