package dev.flotilla.core.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EnforcerTest {

  private static final PolicySet GLOBAL =
      PolicySet.parse(
          """
          # team-a develops its own project; production apps cannot be deleted
          g, alice, team-a
          g, team-a, role:team-a-dev
          p, role:team-a-dev, applications, *, team-a/*, allow
          p, role:team-a-dev, applications, delete, team-a/prod-*, deny
          p, role:team-a-dev, projects, get, team-a, allow
          p, team-b, applications, get, team-b/*, allow
          p, team-b, applications, sync, team-b/web?, allow
          g, carol, role:admin
          p, dave, *, *, *, allow
          p, dave, clusters, delete, prod-*, deny
          g, erin, role:readonly
          p, erin, repositories, get, *, deny
          p, mallory, applications, get, public/secret-*, deny
          g, frank, role:ops
          g, role:ops, role:oncall
          g, role:oncall, role:pager
          p, role:pager, applications, rollback, */*, allow
          g, cyc1, cyc2
          g, cyc2, cyc1
          p, cyc2, clusters, get, lab, allow
          p, role:viewer, applications, get, public/*, allow
          p, role:viewer, projects, get, public, allow
          g, role:admin, role:readonly
          g, gina, proj:team-a:ci
          """);

  private static final ProjectRoles TEAM_A_ROLES =
      ProjectRoles.of(
          "team-a",
          List.of(
              new ProjectRoles.Role(
                  "ci",
                  List.of(
                      "p, proj:team-a:ci, applications, sync, team-a/*, allow",
                      "p, proj:team-a:ci, applications, get, team-a/*, allow",
                      "p, proj:team-a:ci, applications, sync, team-a/frozen, deny",
                      // Escape attempts: each is dropped, see ProjectRolesTest for why.
                      "p, proj:team-a:ci, applications, *, team-b/*, allow",
                      "p, proj:team-a:ci, applications, *, */*, allow",
                      "p, proj:team-a:ci, clusters, *, *, allow",
                      "p, proj:team-a:ci, projects, update, team-a, allow",
                      "p, proj:team-b:admin, applications, *, team-b/*, allow"),
                  List.of("team-ci")),
              new ProjectRoles.Role(
                  "viewer",
                  List.of("p, proj:team-a:viewer, projects, get, team-a, allow"),
                  List.of())));

  private static final ProjectRoles TEAM_B_ROLES =
      ProjectRoles.of(
          "team-b",
          List.of(
              new ProjectRoles.Role(
                  "deploy",
                  List.of("p, proj:team-b:deploy, applications, *, team-b/*, allow"),
                  List.of())));

  private static final Enforcer MAIN =
      new Enforcer(GLOBAL, Map.of("team-a", TEAM_A_ROLES, "team-b", TEAM_B_ROLES), "role:viewer");
  private static final Enforcer NO_DEFAULT = new Enforcer(GLOBAL, Map.of(), "");
  private static final Enforcer READONLY_DEFAULT =
      new Enforcer(PolicySet.empty(), Map.of(), "role:readonly");

  record Case(
      String name,
      Enforcer enforcer,
      Subject subject,
      String resource,
      String action,
      String object,
      boolean allowed) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Subject user(String name, String... teams) {
    return Subject.user(name, List.of(teams));
  }

  static Stream<Case> cases() {
    return Stream.of(
        // glob on the object, '*' on resource and action
        new Case(
            "glob: team-a/* covers an app",
            MAIN,
            user("alice"),
            "applications",
            "sync",
            "team-a/web",
            true),
        new Case(
            "glob: team-a/* covers a nested-looking name",
            MAIN,
            user("alice"),
            "applications",
            "get",
            "team-a/x/y",
            true),
        new Case(
            "glob: team-a/* does not cover team-ab",
            MAIN,
            user("alice"),
            "applications",
            "get",
            "team-ab/web",
            false),
        new Case(
            "glob: project name is not an app",
            MAIN,
            user("alice"),
            "applications",
            "get",
            "team-a",
            false),
        new Case(
            "glob: ? matches one character",
            MAIN,
            user("bob", "team-b"),
            "applications",
            "sync",
            "team-b/web1",
            true),
        new Case(
            "glob: ? does not match two",
            MAIN,
            user("bob", "team-b"),
            "applications",
            "sync",
            "team-b/web12",
            false),
        new Case(
            "glob: ? does not match none",
            MAIN,
            user("bob", "team-b"),
            "applications",
            "sync",
            "team-b/web",
            false),
        new Case(
            "glob: * action covers rollback",
            MAIN,
            user("alice"),
            "applications",
            "rollback",
            "team-a/web",
            true),
        new Case(
            "glob: * resource covers repositories",
            MAIN,
            user("dave"),
            "repositories",
            "create",
            "https://git/x",
            true),
        new Case(
            "glob: rule for applications says nothing of applicationsets",
            MAIN,
            user("alice"),
            "applicationsets",
            "get",
            "team-a/set",
            false),
        // deny wins
        new Case(
            "deny wins: delete of prod app",
            MAIN,
            user("alice"),
            "applications",
            "delete",
            "team-a/prod-db",
            false),
        new Case(
            "deny wins: delete of non-prod app still allowed",
            MAIN,
            user("alice"),
            "applications",
            "delete",
            "team-a/dev-db",
            true),
        new Case(
            "deny wins over a wider allow of the same subject",
            MAIN,
            user("dave"),
            "clusters",
            "delete",
            "prod-eu",
            false),
        new Case(
            "deny wins over a built-in role",
            MAIN,
            user("erin"),
            "repositories",
            "get",
            "https://git/x",
            false),
        new Case(
            "deny wins over the default role",
            MAIN,
            user("mallory"),
            "applications",
            "get",
            "public/secret-app",
            false),
        new Case(
            "default role still grants what is not denied",
            MAIN,
            user("mallory"),
            "applications",
            "get",
            "public/site",
            true),
        new Case(
            "deny in a project role wins over its allow",
            MAIN,
            Subject.projectRole("team-a", "ci"),
            "applications",
            "sync",
            "team-a/frozen",
            false),
        // transitive groups
        new Case(
            "transitive: user -> team -> role via g lines",
            MAIN,
            user("alice"),
            "projects",
            "get",
            "team-a",
            true),
        new Case(
            "transitive: team from the identity store -> role",
            MAIN,
            user("zoe", "team-a"),
            "applications",
            "update",
            "team-a/web",
            true),
        new Case(
            "transitive: three roles deep",
            MAIN,
            user("frank"),
            "applications",
            "rollback",
            "team-x/api",
            true),
        new Case(
            "transitive: cycle terminates and grants",
            MAIN,
            user("cyc1"),
            "clusters",
            "get",
            "lab",
            true),
        new Case(
            "transitive: role:admin inherits readonly too",
            MAIN,
            user("carol"),
            "clusters",
            "get",
            "any",
            true),
        new Case(
            "transitive: nothing from an unrelated team",
            MAIN,
            user("zoe", "team-b"),
            "applications",
            "update",
            "team-a/web",
            false),
        // default role
        new Case(
            "default role: unknown user sees public apps",
            MAIN,
            user("nobody"),
            "applications",
            "get",
            "public/site",
            true),
        new Case(
            "default role: but cannot sync them",
            MAIN,
            user("nobody"),
            "applications",
            "sync",
            "public/site",
            false),
        new Case(
            "default role: none configured, nothing granted",
            NO_DEFAULT,
            user("nobody"),
            "applications",
            "get",
            "public/site",
            false),
        new Case(
            "default role: applies to project tokens too",
            MAIN,
            Subject.projectRole("team-b", "deploy"),
            "projects",
            "get",
            "public",
            true),
        new Case(
            "default role: built-in readonly gets anything",
            READONLY_DEFAULT,
            user("nobody"),
            "clusters",
            "get",
            "prod-eu",
            true),
        new Case(
            "default role: built-in readonly cannot delete",
            READONLY_DEFAULT,
            user("nobody"),
            "clusters",
            "delete",
            "prod-eu",
            false),
        // built-ins
        new Case(
            "built-in: admin deletes clusters",
            MAIN,
            user("carol"),
            "clusters",
            "delete",
            "prod-eu",
            true),
        new Case(
            "built-in: admin overrides apps",
            MAIN,
            user("carol"),
            "applications",
            "override",
            "team-b/web",
            true),
        new Case(
            "built-in: readonly gets repositories",
            MAIN,
            user("erin"),
            "projects",
            "get",
            "team-b",
            true),
        new Case(
            "built-in: readonly cannot sync",
            MAIN,
            user("erin"),
            "applications",
            "sync",
            "team-b/web",
            false),
        // project roles and their scope
        new Case(
            "project role: sync in its project",
            MAIN,
            Subject.projectRole("team-a", "ci"),
            "applications",
            "sync",
            "team-a/web",
            true),
        new Case(
            "project role: no sync in another project",
            MAIN,
            Subject.projectRole("team-a", "ci"),
            "applications",
            "sync",
            "team-b/web",
            false),
        new Case(
            "project role: dropped '*/*' grants nothing",
            MAIN,
            Subject.projectRole("team-a", "ci"),
            "applications",
            "delete",
            "team-c/web",
            false),
        new Case(
            "project role: dropped clusters line grants nothing",
            MAIN,
            Subject.projectRole("team-a", "ci"),
            "clusters",
            "delete",
            "prod-eu",
            false),
        new Case(
            "project role: cannot update its own project",
            MAIN,
            Subject.projectRole("team-a", "ci"),
            "projects",
            "update",
            "team-a",
            false),
        new Case(
            "project role: line naming team-b's role was dropped",
            MAIN,
            Subject.projectRole("team-b", "admin"),
            "applications",
            "delete",
            "team-b/web",
            false),
        new Case(
            "project role: viewer may get its project",
            MAIN,
            Subject.projectRole("team-a", "viewer"),
            "projects",
            "get",
            "team-a",
            true),
        new Case(
            "project role: held through its groups",
            MAIN,
            user("ivy", "team-ci"),
            "applications",
            "sync",
            "team-a/web",
            true),
        new Case(
            "project role: handed to a user by a global g line",
            MAIN,
            user("gina"),
            "applications",
            "sync",
            "team-a/web",
            true),
        new Case(
            "project role: handed by a g line, still only its project",
            MAIN,
            user("gina"),
            "applications",
            "sync",
            "team-b/web",
            false),
        new Case(
            "project role: unknown role grants only the default",
            MAIN,
            Subject.projectRole("team-a", "ghost"),
            "applications",
            "get",
            "team-a/web",
            false),
        new Case(
            "project role: another project's role stays there",
            MAIN,
            Subject.projectRole("team-b", "deploy"),
            "applications",
            "delete",
            "team-a/web",
            false),
        // reserved names and bad requests
        new Case(
            "reserved: a user named role:admin is not admin",
            MAIN,
            user("role:admin"),
            "clusters",
            "delete",
            "prod-eu",
            false),
        new Case(
            "reserved: a team named like a project role is ignored",
            MAIN,
            user("eve", "proj:team-a:ci"),
            "applications",
            "sync",
            "team-a/web",
            false),
        new Case(
            "unknown action is never allowed, even for admin",
            MAIN,
            user("carol"),
            "applications",
            "exec",
            "team-a/web",
            false),
        new Case(
            "unknown resource is never allowed, even for admin",
            MAIN,
            user("carol"),
            "secrets",
            "get",
            "x",
            false),
        new Case(
            "null object is never allowed",
            MAIN,
            user("carol"),
            "applications",
            "get",
            null,
            false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void enforces(Case c) {
    assertThat(c.enforcer().enforce(c.subject(), c.resource(), c.action(), c.object()))
        .isEqualTo(c.allowed());
  }

  @Test
  void visibleKeepsOnlyWhatGetAllowsInOrder() {
    List<String> apps =
        List.of("team-b/web", "team-a/web", "public/site", "team-a/prod-db", "team-c/api");
    assertThat(MAIN.visible(user("alice"), Resources.APPLICATIONS, apps, s -> s))
        .containsExactly("team-a/web", "public/site", "team-a/prod-db");
    assertThat(
            MAIN.visible(Subject.projectRole("team-a", "ci"), Resources.APPLICATIONS, apps, s -> s))
        .containsExactly("team-a/web", "public/site", "team-a/prod-db");
    assertThat(NO_DEFAULT.visible(user("nobody"), Resources.APPLICATIONS, apps, s -> s)).isEmpty();
  }

  @Test
  void grantsListEveryRoleHeld() {
    assertThat(MAIN.grantsOf(user("alice")).roles())
        .containsExactlyInAnyOrder("alice", "team-a", "role:team-a-dev", "role:viewer");
    assertThat(MAIN.grantsOf(user("ivy", "team-ci")).roles())
        .contains("proj:team-a:ci")
        .doesNotContain("proj:team-a:viewer");
  }
}
