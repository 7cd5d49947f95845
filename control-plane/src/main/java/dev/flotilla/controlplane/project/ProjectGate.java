package dev.flotilla.controlplane.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.generators.GeneratedApplication;
import dev.flotilla.generators.project.ProjectPolicy;
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
              for (var doc : docs) {
                ProjectPolicy p = ProjectPolicy.fromAppProject(toNode(doc.encode()));
                byName.put(p.name(), p);
              }
              return new Policies(byName);
            });
  }

  /** Immutable policies of all projects at one moment. */
  public static final class Policies {
    private final Map<String, ProjectPolicy> byName;

    Policies(Map<String, ProjectPolicy> byName) {
      this.byName = Map.copyOf(byName);
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
