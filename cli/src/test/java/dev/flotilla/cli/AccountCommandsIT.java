package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.testkit.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * whoami, user, team, token, policy and audit against a running control plane over a real socket,
 * as a user types them: the bootstrap admin sets up a team, a user and a token, and the user acts
 * with it.
 */
class AccountCommandsIT {

  private static final String TEAM_LINE = "p, team-a, applications, get, team-a/*, allow";

  @TempDir Path home;
  private ControlPlane cp;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            Database.of(TestPostgres.fresh()));
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  private String api() {
    return "http://127.0.0.1:" + cp.httpPort();
  }

  /** As the bootstrap admin (role:admin). */
  private CliRunner.Run admin(String... args) {
    return CliRunner.runAgainst(api(), cp.adminToken().value(), args);
  }

  private CliRunner.Run as(String token, String... args) {
    return CliRunner.runAgainst(api(), token, args);
  }

  private static CliRunner.Run ok(CliRunner.Run run) {
    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    return run;
  }

  /** A new user in {@code teams} and a token for it, made by the admin; returns the token. */
  private String userWithToken(String user, String... teams) {
    ok(admin("user", "create", user, "--display-name", user.toUpperCase()));
    for (String team : teams) {
      ok(admin("team", "add-member", team, user));
    }
    CliRunner.Run token =
        ok(
            admin(
                "token",
                "create",
                "--user",
                user,
                "--description",
                "laptop",
                "--expires-in",
                "30d"));
    return token.out().strip();
  }

  @Test
  void aTeamMembersTokenWorksUntilRevoked() throws Exception {
    assertThat(ok(admin("team", "create", "team-a", "--description", "Payments")).out())
        .contains("team team-a created");
    ok(admin("user", "create", "alice", "--display-name", "Alice Doe"));
    assertThat(ok(admin("team", "add-member", "team-a", "alice")).out())
        .contains("user alice added to team team-a");
    assertThat(ok(admin("team", "add-member", "team-a", "alice")).out())
        .contains("already in team team-a");
    assertThat(ok(admin("user", "list")).out())
        .contains("DISPLAY NAME")
        .containsPattern("alice +Alice Doe")
        .contains("admin");
    assertThat(ok(admin("team", "list")).out()).containsPattern("team-a +Payments +alice");

    CliRunner.Run created =
        ok(
            admin(
                "token",
                "create",
                "--user",
                "alice",
                "--description",
                "laptop",
                "--expires-in",
                "30d"));
    // Script-friendly: the token alone on stdout, everything else on stderr.
    assertThat(created.out()).matches("flt_[A-Za-z0-9_-]{40,}\\R");
    assertThat(created.err()).contains("for alice").contains("shown only this once");
    String token = created.out().strip();

    assertThat(ok(as(token, "whoami")).out()).contains("name:  alice").contains("teams: team-a");
    JsonObject session = new JsonObject(ok(as(token, "whoami", "-o", "json")).out());
    assertThat(session.getJsonArray("teams")).containsExactly("team-a");

    // The admin keeps its own binding while granting the team read access to its applications.
    String before = ok(admin("policy", "get")).out();
    assertThat(before).contains("g, admin, role:admin");
    Path file = home.resolve("policy.csv");
    Files.writeString(file, before + TEAM_LINE + "\n");
    assertThat(ok(admin("policy", "set", "-f", file.toString())).out()).contains("policy updated");
    assertThat(ok(admin("policy", "get")).out())
        .contains(TEAM_LINE)
        .contains("g, admin, role:admin");
    JsonObject policy = new JsonObject(ok(admin("policy", "get", "-o", "json")).out());
    assertThat(policy.getString("policy")).contains(TEAM_LINE);
    assertThat(policy.getString("updatedBy")).isEqualTo("admin");
    // The user holds nothing on accounts, so the policy does not exist for it.
    assertThat(as(token, "policy", "get").exitCode()).isEqualTo(1);

    JsonArray tokens =
        new JsonObject(ok(admin("token", "list", "--user", "alice", "-o", "json")).out())
            .getJsonArray("items");
    assertThat(tokens).hasSize(1);
    String id = String.valueOf(tokens.getJsonObject(0).getValue("id"));
    assertThat(ok(as(token, "token", "list")).out())
        .contains("laptop")
        .containsPattern(id + " +alice +laptop")
        .contains("active");

    assertThat(ok(admin("token", "revoke", id)).out()).contains("token " + id + " revoked");
    CliRunner.Run refused = as(token, "whoami");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err())
        .isEqualTo("error: invalid, expired or revoked token: log in again with a valid token\n");
    assertThat(ok(admin("token", "list", "--user", "alice")).out()).contains("revoked");
  }

  @Test
  void tokenCreateNamesTheBadFlag() {
    ok(admin("user", "create", "bob"));
    for (List<String> args :
        List.of(
            List.of("--expires-in", "5w"),
            List.of("--expires-in", "0d"),
            List.of("--expires-in", "30 days"))) {
      CliRunner.Run r =
          admin(
              List.of("token", "create", "--user", "bob", args.get(0), args.get(1))
                  .toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(r.out()).isEmpty();
      assertThat(r.err()).startsWith("error: --expires-in: ").contains("30d").contains(args.get(1));
    }
    CliRunner.Run at = admin("token", "create", "--user", "bob", "--expires-at", "tomorrow");
    assertThat(at.exitCode()).isEqualTo(1);
    assertThat(at.err()).startsWith("error: --expires-at: ").contains("ISO-8601");
    CliRunner.Run past =
        admin("token", "create", "--user", "bob", "--expires-at", "2020-01-01T00:00:00Z");
    assertThat(past.exitCode()).isEqualTo(1);
    assertThat(past.err()).contains("--expires-at: must lie in the future");

    CliRunner.Run roleAlone = admin("token", "create", "--user", "bob", "--role", "ci");
    assertThat(roleAlone.exitCode()).isEqualTo(1);
    assertThat(roleAlone.err()).contains("--role").contains("--project");
    CliRunner.Run both = admin("token", "create", "--expires-in", "1d", "--expires-at", "x");
    assertThat(both.exitCode()).isEqualTo(1);
    assertThat(both.err()).contains("either --expires-in or --expires-at");
    CliRunner.Run nobody = admin("token", "create", "--user", "nobody");
    assertThat(nobody.exitCode()).isEqualTo(1);
    assertThat(nobody.err()).contains("user 'nobody' does not exist");

    // None of the refused attempts left a token behind.
    assertThat(ok(admin("token", "list", "--user", "bob")).out()).contains("no tokens");
  }

  @Test
  void policySetRefusesAMissingFileABadLineAndALockout() throws Exception {
    String before = ok(admin("policy", "get")).out();

    CliRunner.Run missing = admin("policy", "set", "-f", home.resolve("nope.csv").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("nope.csv").contains("no such file");

    Path bad = home.resolve("bad.csv");
    Files.writeString(bad, before + "p, team-a, apps, get, *, allow\n");
    CliRunner.Run badLine = admin("policy", "set", "-f", bad.toString());
    assertThat(badLine.exitCode()).isEqualTo(1);
    assertThat(badLine.err()).contains("unknown resource 'apps'").contains("line ");

    Path lockout = home.resolve("lockout.csv");
    Files.writeString(lockout, TEAM_LINE + "\n");
    CliRunner.Run refused = admin("policy", "set", "-f", lockout.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("'g, admin, role:admin'")
        .contains("lock yourself out")
        .contains("--force");
    assertThat(ok(admin("policy", "get")).out()).isEqualTo(before);

    // Replacing the binding by an equivalent line needs --force, and the admin stays in charge.
    Path replaced = home.resolve("replaced.csv");
    Files.writeString(replaced, "p, admin, *, *, *, allow\n" + TEAM_LINE + "\n");
    assertThat(admin("policy", "set", "-f", replaced.toString()).exitCode()).isEqualTo(1);
    ok(
        admin(
            "policy",
            "set",
            "-f",
            replaced.toString(),
            "--force",
            "--default-role",
            "role:readonly"));
    JsonObject now = new JsonObject(ok(admin("policy", "get", "-o", "json")).out());
    assertThat(now.getString("policy")).doesNotContain("g, admin").contains(TEAM_LINE);
    assertThat(now.getString("defaultRole")).isEqualTo("role:readonly");

    // '-' reads stdin.
    InputStream stdin = System.in;
    try {
      System.setIn(
          new ByteArrayInputStream(
              ("p, admin, *, *, *, allow\ng, admin, role:admin\n")
                  .getBytes(StandardCharsets.UTF_8)));
      ok(admin("policy", "set", "-f", "-", "--force"));
    } finally {
      System.setIn(stdin);
    }
    assertThat(ok(admin("policy", "get")).out())
        .isEqualTo("p, admin, *, *, *, allow\ng, admin, role:admin\n");
  }

  @Test
  void auditShowsChangesAndDenials() throws Exception {
    ok(admin("team", "create", "team-a"));
    String bob = userWithToken("bob", "team-a");
    String before = ok(admin("policy", "get")).out();
    Path file = home.resolve("policy.csv");
    Files.writeString(file, before + TEAM_LINE + "\n");
    ok(admin("policy", "set", "-f", file.toString()));

    CliRunner.Run denied = as(bob, "user", "create", "mallory");
    assertThat(denied.exitCode()).isEqualTo(1);
    assertThat(denied.out()).isEmpty();
    assertThat(denied.err())
        .startsWith("error: permission denied: 'bob' may not create accounts 'users/mallory'")
        .hasLineCount(1);

    String audit = ok(admin("audit")).out();
    assertThat(audit.lines().findFirst().orElseThrow())
        .matches("AT +ACTOR +ACTION +KIND +OBJECT +RESULT");
    assertThat(audit)
        .containsPattern("Z +admin +create +accounts +teams/team-a +allow")
        .containsPattern("Z +admin +create +accounts +users/bob +allow")
        .containsPattern("Z +admin +update +accounts +teams/team-a +allow")
        .containsPattern("Z +admin +update +accounts +policy +allow")
        .containsPattern("Z +bob +create +accounts +users/mallory +deny");
    // Newest first.
    assertThat(audit.lines().skip(1).findFirst().orElseThrow()).contains("bob").contains("deny");

    assertThat(ok(admin("audit", "--actor", "bob")).out().lines())
        .hasSize(2)
        .allMatch(l -> l.startsWith("AT") || l.contains("users/mallory"));
    List<String> policyChanges =
        ok(admin("audit", "--kind", "accounts", "--object", "policy")).out().lines().toList();
    assertThat(policyChanges).hasSize(2);
    assertThat(policyChanges.get(1)).contains("admin").endsWith("allow");
    assertThat(ok(admin("audit", "--limit", "1")).out().lines()).hasSize(2);
    assertThat(ok(admin("audit", "--actor", "nobody")).out()).contains("no audit entries match");

    JsonArray items =
        new JsonObject(ok(admin("audit", "--actor", "bob", "-o", "json")).out())
            .getJsonArray("items");
    assertThat(items.getJsonObject(0).getString("result")).isEqualTo("deny");
    assertThat(items.getJsonObject(0).getJsonObject("details").getString("error"))
        .contains("permission denied");

    // Entries are shown only about objects the caller may see, their own refusals included: an
    // entry about a hidden object would reveal where that object lives.
    String own = ok(as(bob, "audit")).out();
    assertThat(own).doesNotContain("users/mallory").doesNotContain("policy");

    CliRunner.Run badSince = admin("audit", "--since", "yesterday");
    assertThat(badSince.exitCode()).isEqualTo(1);
    assertThat(badSince.err()).contains("since: must be an ISO-8601 instant");
    CliRunner.Run badLimit = admin("audit", "--limit", "0");
    assertThat(badLimit.exitCode()).isEqualTo(1);
    assertThat(badLimit.err()).contains("limit: must be a number between 1 and 1000");
  }

  @Test
  void membershipsAndDeletionsAreReported() {
    ok(admin("team", "create", "team-b"));
    ok(admin("user", "create", "carol"));
    ok(admin("team", "add-member", "team-b", "carol"));
    assertThat(ok(admin("team", "remove-member", "team-b", "carol")).out())
        .contains("user carol removed from team team-b");
    assertThat(ok(admin("team", "remove-member", "team-b", "carol")).out())
        .contains("was not in team team-b");
    CliRunner.Run unknown = admin("team", "add-member", "team-b", "nobody");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("does not exist");

    CliRunner.Run taken = admin("user", "create", "team-b");
    assertThat(taken.exitCode()).isEqualTo(1);
    assertThat(taken.err()).contains("already taken");

    ok(admin("user", "delete", "carol"));
    ok(admin("team", "delete", "team-b"));
    CliRunner.Run again = admin("user", "delete", "carol");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).isEqualTo("error: user 'carol' not found\n");
    assertThat(ok(admin("team", "list")).out()).contains("no teams visible");
  }

  @Test
  void everyAccountCommandHasHelpWithAnExample() {
    for (String[] cmd :
        new String[][] {
          {"whoami"},
          {"user"},
          {"user", "list"},
          {"user", "create"},
          {"user", "delete"},
          {"team"},
          {"team", "list"},
          {"team", "create"},
          {"team", "delete"},
          {"team", "add-member"},
          {"team", "remove-member"},
          {"token"},
          {"token", "list"},
          {"token", "create"},
          {"token", "revoke"},
          {"policy"},
          {"policy", "get"},
          {"policy", "set"},
          {"audit"}
        }) {
      String[] help = java.util.Arrays.copyOf(cmd, cmd.length + 1);
      help[cmd.length] = "--help";
      CliRunner.Run r = CliRunner.run(help);
      assertThat(r.exitCode()).as(String.join(" ", cmd)).isZero();
      assertThat(r.out()).as(String.join(" ", cmd)).contains("Usage:").contains("flotilla ");
      assertThat(r.out()).as(String.join(" ", cmd)).containsPattern("Examples?");
    }
  }
}
