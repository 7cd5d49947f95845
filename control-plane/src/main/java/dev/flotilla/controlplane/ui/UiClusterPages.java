package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.application.ApplicationFilter;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.ClusterRegistry;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.core.rbac.Resources;
import dev.flotilla.core.selector.LabelSelector;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The Clusters page: every cluster the caller may see with its agent (connected, last heartbeat,
 * version, health) and the states of the Applications on it that the caller may see — the view
 * across clusters. Clusters come from {@link ClusterRegistry}, as REST's do.
 */
final class UiClusterPages implements UiView {

  private final ClusterRegistry clusters;
  private final UiApplicationRepository summaries;
  private final UiTemplates templates;
  private final Clock clock;

  UiClusterPages(
      ClusterRegistry clusters,
      UiApplicationRepository summaries,
      UiTemplates templates,
      Clock clock) {
    this.clusters = clusters;
    this.summaries = summaries;
    this.templates = templates;
    this.clock = clock;
  }

  @Override
  public List<String> paths() {
    return List.of("/clusters");
  }

  @Override
  public void mount(Router router) {
    router.get("/clusters").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    PageChrome chrome = UiView.chrome(ctx, "Clusters", "clusters", true);
    String typed = ctx.request().getParam("selector");
    String selector = typed == null ? "" : typed.trim();
    LabelSelector labels;
    try {
      labels = LabelSelector.parse(selector);
    } catch (RuntimeException e) {
      render(
          ctx,
          400,
          new ClustersModel(
              chrome, List.of(), selector, "selector: " + e.getMessage(), clock.instant()));
      return;
    }
    clusters
        .list(caller, labels, PageRequest.ALL)
        .compose(
            page ->
                summaries
                    .summaries(ApplicationFilter.ALL)
                    .map(
                        apps -> {
                          Map<String, AppCounts> counts =
                              AppCounts.by(
                                  apps.stream()
                                      .filter(
                                          a ->
                                              caller.sees(
                                                  Resources.APPLICATIONS,
                                                  Guard.inProject(a.project(), a.name())))
                                      .toList(),
                                  AppSummary::cluster);
                          return page.items().stream()
                              .map(
                                  (Cluster c) ->
                                      new ClusterRow(
                                          c, counts.getOrDefault(c.name(), AppCounts.NONE)))
                              .toList();
                        }))
        .onSuccess(
            rows ->
                render(ctx, 200, new ClustersModel(chrome, rows, selector, "", clock.instant())))
        .onFailure(ctx::fail);
  }

  private void render(RoutingContext ctx, int status, ClustersModel model) {
    UiRoutes.html(ctx, status, templates.render("clusters.jte", model));
  }
}
