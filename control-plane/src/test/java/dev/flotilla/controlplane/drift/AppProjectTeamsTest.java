package dev.flotilla.controlplane.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A project's teams are the groups of its AppProject's roles, as RBAC reads them. */
class AppProjectTeamsTest {

  private static JsonObject project(String name, String rolesJson) {
    return new JsonObject(
        """
        {"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject",
         "metadata": {"name": "%s"},
         "spec": {"sourceRepos": ["*"], "roles": %s}}
        """
            .formatted(name, rolesJson));
  }

  @Test
  void groupsOfEveryRoleAreTheTeams() {
    Map<String, Set<String>> teams =
        AppProjectTeams.teamsOf(
            List.of(
                project(
                    "billing",
                    """
                    [{"name": "dev", "groups": ["payments", "platform"],
                      "policies": ["p, proj:billing:dev, applications, get, billing/*, allow"]},
                     {"name": "ops", "groups": ["platform", "sre"]}]
                    """),
                project("search", "[{\"name\": \"dev\", \"groups\": [\"discovery\"]}]")));
    assertThat(teams)
        .containsOnly(
            Map.entry("billing", Set.of("payments", "platform", "sre")),
            Map.entry("search", Set.of("discovery")));
  }

  @Test
  void projectsWithoutGroupsHaveNoTeam() {
    Map<String, Set<String>> teams =
        AppProjectTeams.teamsOf(
            List.of(
                project("no-roles", "[]"),
                project("no-groups", "[{\"name\": \"dev\", \"groups\": []}]"),
                new JsonObject("{\"metadata\": {\"name\": \"no-spec\"}}")));
    assertThat(teams).isEmpty();
  }

  @Test
  void whatRbacDropsOwnsNothingHereEither() {
    Map<String, Set<String>> teams =
        AppProjectTeams.teamsOf(
            List.of(
                project(
                    "shop",
                    """
                    [{"name": "not a role name!", "groups": ["intruders"]},
                     {"name": "dev", "groups": ["", "a,b", "web"]},
                     {"name": "dev", "groups": ["duplicate-role"]}]
                    """),
                new JsonObject("{\"metadata\": {\"name\": \"../bad name\"}}")));
    assertThat(teams).containsOnly(Map.entry("shop", Set.of("web")));
  }
}
