package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.project.ProjectCatalog;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.core.selector.LabelSelector;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * The Projects page: each AppProject the caller may see ({@code projects, get}, through {@link
 * ProjectCatalog} as REST) with its repositories, destinations, resource rules, roles and sync
 * windows, each window marked when it is active now.
 */
final class UiProjectPages implements UiView {

  private final ProjectCatalog projects;
  private final UiTemplates templates;
  private final Clock clock;

  UiProjectPages(ProjectCatalog projects, UiTemplates templates, Clock clock) {
    this.projects = projects;
    this.templates = templates;
    this.clock = clock;
  }

  @Override
  public List<String> paths() {
    return List.of("/projects");
  }

  @Override
  public void mount(Router router) {
    router.get("/projects").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    PageChrome chrome = UiView.chrome(ctx, "Projects", "projects", false);
    projects
        .list(Callers.of(ctx), LabelSelector.everything(), PageRequest.ALL)
        .onSuccess(
            page -> {
              List<ProjectSummary> rows =
                  page.items().stream().map(p -> ProjectSummary.of(p, clock.instant())).toList();
              UiRoutes.html(
                  ctx, 200, templates.render("projects.jte", new ProjectsModel(chrome, rows)));
            })
        .onFailure(ctx::fail);
  }
}
