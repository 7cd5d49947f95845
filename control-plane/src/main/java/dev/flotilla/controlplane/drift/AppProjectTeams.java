package dev.flotilla.controlplane.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.core.rbac.ProjectRoles;
import dev.flotilla.core.rbac.RoleBinding;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A project's teams are the {@code groups} of its AppProject's {@code spec.roles[]}: whoever holds
 * a role of the project, parsed by {@link ProjectRoles} exactly as RBAC parses them (a group RBAC
 * drops, such as one in a role with an invalid name, owns nothing here either). Read per report, so
 * a changed AppProject counts at once.
 */
public final class AppProjectTeams implements ProjectTeams {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProjectRepository projects;

  public AppProjectTeams(ProjectRepository projects) {
    this.projects = projects;
  }

  @Override
  public Future<Map<String, Set<String>>> of(Set<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return projects.getAll(names).map(AppProjectTeams::teamsOf);
  }

  static Map<String, Set<String>> teamsOf(List<JsonObject> documents) {
    Map<String, Set<String>> out = new HashMap<>();
    for (JsonObject doc : documents) {
      ProjectRoles roles;
      try {
        roles = ProjectRoles.fromAppProject(JSON.readTree(doc.encode()));
      } catch (JsonProcessingException | IllegalArgumentException e) {
        continue; // no usable project name: RBAC ignores it too, so it has no team
      }
      Set<String> teams = new TreeSet<>();
      for (RoleBinding b : roles.bindings()) {
        teams.add(b.member());
      }
      if (!teams.isEmpty()) {
        out.put(roles.project(), Set.copyOf(teams));
      }
    }
    return out;
  }
}
