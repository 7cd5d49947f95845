package dev.flotilla.controlplane.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.core.rbac.Enforcer;
import dev.flotilla.core.rbac.ProjectRoles;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an {@link Enforcer} from what Postgres holds now: the global policy and the roles of every
 * AppProject. Call it again after either changes (the enforcer itself is an immutable snapshot).
 */
public final class EnforcerLoader {

  private static final Logger LOG = LoggerFactory.getLogger(EnforcerLoader.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PolicyRepository policies;
  private final ProjectRepository projects;
  private final String defaultRole;

  /** Uses the default role stored with the policy. */
  public EnforcerLoader(PolicyRepository policies, ProjectRepository projects) {
    this(policies, projects, null);
  }

  /**
   * @param defaultRole held by every authenticated subject instead of the stored default role, e.g.
   *     {@code role:readonly}; empty for none, null to use the stored one
   */
  public EnforcerLoader(PolicyRepository policies, ProjectRepository projects, String defaultRole) {
    this.policies = policies;
    this.projects = projects;
    this.defaultRole = defaultRole;
  }

  /**
   * Fails when the stored global policy no longer parses, so callers deny rather than run on a
   * partial policy. A project role line that is invalid is left out (it grants nothing) and logged.
   */
  public Future<Enforcer> load() {
    return policies
        .get()
        .compose(
            stored ->
                projects
                    .list()
                    .map(
                        docs ->
                            new Enforcer(
                                stored.parsed(),
                                rolesOf(docs),
                                defaultRole != null ? defaultRole : stored.defaultRole())));
  }

  private static Map<String, ProjectRoles> rolesOf(List<JsonObject> docs) {
    Map<String, ProjectRoles> byProject = new HashMap<>();
    for (JsonObject doc : docs) {
      try {
        ProjectRoles roles = ProjectRoles.fromAppProject(JSON.readTree(doc.encode()));
        roles.problems().forEach(p -> LOG.warn("project '{}': ignored {}", roles.project(), p));
        byProject.put(roles.project(), roles);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        // A project without a usable name cannot be the scope of any role: it grants nothing.
        LOG.warn("project document without a usable name ignored for RBAC: {}", e.getMessage());
      }
    }
    return byProject;
  }
}
