package dev.flotilla.core.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a project's owners may put in {@code spec.roles[].policies}: nothing that leaves it. */
class ProjectRolesTest {

  /**
   * @param problem a fragment of the reason the line is dropped, or null when it is valid
   */
  record Case(String name, String policy, String problem) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "valid: apps of the project",
            "p, proj:shop:ci, applications, sync, shop/*, allow",
            null),
        new Case("valid: one app", "p, proj:shop:ci, applications, get, shop/web, allow", null),
        new Case("valid: a deny", "p, proj:shop:ci, applications, delete, shop/db, deny", null),
        new Case(
            "valid: applicationsets of the project",
            "p, proj:shop:ci, applicationsets, *, shop/*, allow",
            null),
        new Case(
            "valid: read its own project", "p, proj:shop:ci, projects, get, shop, allow", null),
        new Case(
            "escape: another project's apps",
            "p, proj:shop:ci, applications, *, bank/*, allow",
            "object must be 'shop/*'"),
        new Case(
            "escape: every project",
            "p, proj:shop:ci, applications, *, */*, allow",
            "object must be"),
        new Case(
            "escape: bare star", "p, proj:shop:ci, applications, *, *, allow", "object must be"),
        new Case(
            "escape: project glob as prefix",
            "p, proj:shop:ci, applications, *, shop*/web, allow",
            "object must be"),
        new Case(
            "escape: path-looking tail",
            "p, proj:shop:ci, applications, *, shop/../bank/x, allow",
            "object must be"),
        new Case(
            "escape: empty tail",
            "p, proj:shop:ci, applications, get, shop/, allow",
            "object must be"),
        new Case(
            "escape: another role's subject",
            "p, proj:bank:admin, applications, *, bank/*, allow",
            "policy subject must be 'proj:shop:ci'"),
        new Case(
            "escape: a global role as subject",
            "p, role:admin, applications, *, shop/*, allow",
            "policy subject must be"),
        new Case(
            "escape: clusters",
            "p, proj:shop:ci, clusters, *, *, allow",
            "resource must be applications"),
        new Case(
            "escape: repositories",
            "p, proj:shop:ci, repositories, get, *, allow",
            "resource must be"),
        new Case(
            "escape: any resource", "p, proj:shop:ci, *, get, shop/*, allow", "resource must be"),
        new Case(
            "escape: update its own project",
            "p, proj:shop:ci, projects, update, shop, allow",
            "may only grant 'projects, get, shop'"),
        new Case(
            "escape: get another project",
            "p, proj:shop:ci, projects, get, bank, allow",
            "may only grant"),
        new Case("escape: g line in a role", "g, proj:shop:ci, role:admin", "'p' lines only"),
        new Case(
            "bad: effect",
            "p, proj:shop:ci, applications, get, shop/*, maybe",
            "effect must be 'allow' or 'deny'"),
        new Case(
            "bad: action",
            "p, proj:shop:ci, applications, exec, shop/*, allow",
            "unknown action 'exec'"),
        new Case("bad: field count", "p, proj:shop:ci, applications, get, shop/*", "6 fields"),
        new Case("bad: empty", "  ", "policy line is empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void checksPolicyLines(Case c) {
    ProjectRoles roles =
        ProjectRoles.of(
            "shop", List.of(new ProjectRoles.Role("ci", List.of(c.policy()), List.of())));
    if (c.problem() == null) {
      assertThat(roles.problems()).isEmpty();
      assertThat(roles.rules()).hasSize(1);
    } else {
      assertThat(roles.rules()).isEmpty();
      assertThat(roles.problems())
          .singleElement()
          .asString()
          .startsWith("spec.roles[0].policies[0]: ")
          .contains(c.problem());
      assertThatThrownBy(roles::requireValid)
          .isInstanceOf(PolicyParseException.class)
          .hasMessageContaining(c.problem());
    }
  }

  @Test
  void readsAnAppProjectKeepingGoodLinesAndGroups() throws Exception {
    var doc =
        new ObjectMapper()
            .readTree(
                """
                {"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject",
                 "metadata": {"name": "shop"},
                 "spec": {"roles": [
                   {"name": "ci",
                    "policies": ["p, proj:shop:ci, applications, sync, shop/*, allow",
                                 "p, proj:shop:ci, applications, sync, bank/*, allow"],
                    "groups": ["shop-team", "bad,group"]},
                   {"name": "bad name!", "policies": []},
                   {"name": "ci", "policies": []},
                   {"name": "ops", "policies": "not a list"}]}}
                """);
    ProjectRoles roles = ProjectRoles.fromAppProject(doc);
    assertThat(roles.project()).isEqualTo("shop");
    assertThat(roles.rules()).extracting(PolicyRule::object).containsExactly("shop/*");
    assertThat(roles.bindings()).containsExactly(new RoleBinding("shop-team", "proj:shop:ci", 0));
    assertThat(roles.problems())
        .anyMatch(p -> p.startsWith("spec.roles[3].policies: must be a list"))
        .anyMatch(p -> p.startsWith("spec.roles[0].policies[1]: object must be 'shop/*'"))
        .anyMatch(p -> p.startsWith("spec.roles[0].groups[1]:"))
        .anyMatch(p -> p.startsWith("spec.roles[1].name:"))
        .anyMatch(p -> p.startsWith("spec.roles[2].name: role 'ci' is defined twice"));
  }

  @Test
  void refusesAProjectNameThatCouldForgeASubject() {
    assertThatThrownBy(() -> ProjectRoles.of("shop:ci", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProjectRoles.of("*", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
