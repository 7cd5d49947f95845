package dev.flotilla.controlplane.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.generators.GeneratedApplication;
import dev.flotilla.generators.project.ProjectPolicy;
import dev.flotilla.proto.agent.v1.ResourceRuleList;
import dev.flotilla.proto.agent.v1.ResourceRules;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether an Application may use its AppProject's repositories and destinations. Checked
 * where Applications are generated and again where they are dispatched, so narrowing a project
 * stops dispatch of Applications it no longer allows even before their ApplicationSet regenerates.
 * The project's resource-kind rules go with each dispatched Application to the agent, the only
 * place that knows the rendered objects.
 *
 * <p>As in Argo CD, the {@code default} project allows everything until someone defines it.
 */
public final class ProjectGate {

  public static final String DEFAULT_PROJECT = "default";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProjectRepository projects;

  public ProjectGate(ProjectRepository projects) {
    this.projects = projects;
  }

  /** A snapshot of every project's policy, for checking many Applications at once. */
  public Future<Policies> load() {
    return projects
        .list()
        .map(
            docs -> {
              Map<String, ProjectPolicy> byName = new HashMap<>();
              Map<String, ResourceRules> rules = new HashMap<>();
              for (var doc : docs) {
                ObjectNode node = toNode(doc.encode());
                ProjectPolicy p = ProjectPolicy.fromAppProject(node);
                byName.put(p.name(), p);
                rules.put(p.name(), ProjectResourceRules.of(p.name(), node.path("spec")));
              }
              return new Policies(byName, rules);
            });
  }

  /** Immutable policies of all projects at one moment. */
  public static final class Policies {
    private final Map<String, ProjectPolicy> byName;
    private final Map<String, ResourceRules> rules;

    Policies(Map<String, ProjectPolicy> byName, Map<String, ResourceRules> rules) {
      this.byName = Map.copyOf(byName);
      this.rules = Map.copyOf(rules);
    }

    /**
     * The resource kinds Applications of {@code project} may sync, for the agent to enforce after
     * rendering. The undefined {@code default} project permits everything; another undefined
     * project is never dispatched (see {@link #violation}), so it gets rules that permit nothing.
     */
    public ResourceRules resourceRules(String project) {
      String name = project == null || project.isEmpty() ? DEFAULT_PROJECT : project;
      ResourceRules r = rules.get(name);
      if (r != null) {
        return r;
      }
      return name.equals(DEFAULT_PROJECT)
          ? ProjectResourceRules.implicitDefault()
          : ResourceRules.newBuilder()
              .setProject(name)
              .setNamespaceAllow(ResourceRuleList.getDefaultInstance())
              .build();
    }

    /** Why {@code app} may not be deployed under its project, if it may not. */
    public Optional<String> violation(GeneratedApplication app) {
      String project = app.project().isEmpty() ? DEFAULT_PROJECT : app.project();
      ProjectPolicy policy = byName.get(project);
      if (policy == null) {
        return project.equals(DEFAULT_PROJECT)
            ? Optional.empty()
            : Optional.of("project '" + project + "' does not exist");
      }
      return policy.violation(app).map(v -> "project '" + project + "': " + v);
    }

    public Optional<String> violation(StoredApplication app) {
      return violation(new GeneratedApplication(app.name(), toNode(app.document().encode())));
    }
  }

  static ObjectNode toNode(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
