package dev.flotilla.controlplane.project;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * AppProjects for every entry point: a change takes effect everywhere at once (regeneration and
 * re-dispatch), and a project in use cannot be deleted.
 */
public final class ProjectCatalog {

  private final ProjectRepository projects;
  private final ApplicationRepository applications;
  private final ApplicationSetController controller;
  private final AgentDispatcher dispatcher;

  public ProjectCatalog(
      ProjectRepository projects,
      ApplicationRepository applications,
      ApplicationSetController controller,
      AgentDispatcher dispatcher) {
    this.projects = projects;
    this.applications = applications;
    this.controller = controller;
    this.dispatcher = dispatcher;
  }

  /** Validates and stores an AppProject document (YAML or JSON); returns the stored document. */
  public Future<JsonObject> apply(String text) {
    JsonObject document;
    try {
      document = AppProjectParser.parse(text == null ? "" : text);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiException.invalid(e.getMessage()));
    }
    String name = document.getJsonObject("metadata").getString("name");
    return projects
        .upsert(name, document)
        // Narrowing a project takes effect everywhere at once: regenerate and re-dispatch.
        .compose(v -> controller.reconcileAll().recover(e -> Future.succeededFuture()))
        .compose(v -> dispatcher.clustersChanged(dispatcher.connectedClusters()))
        .map(document);
  }

  public Future<JsonObject> get(String name) {
    return projects
        .get(name)
        .compose(
            p ->
                p.map(Future::succeededFuture)
                    .orElseGet(() -> Future.failedFuture(ApiException.notFound("project", name))));
  }

  public Future<List<JsonObject>> list() {
    return projects.list();
  }

  public Future<Void> delete(String name) {
    return applications
        .listAll()
        .compose(
            apps -> {
              long using = apps.stream().filter(a -> name.equals(a.project())).count();
              if (using > 0) {
                return Future.failedFuture(
                    new ApiException(
                        ApiException.Kind.PRECONDITION,
                        "project '"
                            + name
                            + "' is used by "
                            + using
                            + " Application(s); move or delete them first"));
              }
              return projects
                  .delete(name)
                  .compose(
                      deleted ->
                          deleted
                              ? Future.<Void>succeededFuture()
                              : Future.failedFuture(ApiException.notFound("project", name)));
            });
  }
}
