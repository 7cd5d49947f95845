package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.drift.DriftCsv;
import dev.flotilla.controlplane.drift.DriftService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.List;

/**
 * The Fleet drift page — the 3 a.m. page: every drifted object the caller may see with its fields
 * desired vs live, first and last seen, healed or not and recurrences; totals by cluster, project
 * and team; filters in the URL; the same report as CSV. Everything comes from {@link DriftService},
 * so RBAC decides exactly as for {@code GET /api/v1/drift}.
 */
final class UiDriftPages implements UiView {

  private final DriftService drift;
  private final UiTemplates templates;
  private final Clock clock;

  UiDriftPages(DriftService drift, UiTemplates templates, Clock clock) {
    this.drift = drift;
    this.templates = templates;
    this.clock = clock;
  }

  @Override
  public List<String> paths() {
    return List.of("/drift", "/drift.csv");
  }

  @Override
  public void mount(Router router) {
    router.get("/drift").handler(this::page);
    router.get("/drift.csv").handler(this::csv);
  }

  private void page(RoutingContext ctx) {
    PageChrome chrome = UiView.chrome(ctx, "Fleet drift", "drift", false);
    DriftPageQuery query;
    try {
      query = DriftPageQuery.parse(ctx.request()::getParam);
    } catch (ApiException e) {
      render(
          ctx,
          400,
          new DriftModel(chrome, DriftPageQuery.none(), null, e.getMessage(), clock.instant()));
      return;
    }
    DriftPageQuery q = query;
    drift
        .report(Callers.of(ctx), q.query(false))
        .onSuccess(
            report -> render(ctx, 200, new DriftModel(chrome, q, report, "", clock.instant())))
        .onFailure(ctx::fail);
  }

  private void csv(RoutingContext ctx) {
    DriftPageQuery query;
    try {
      query = DriftPageQuery.parse(ctx.request()::getParam);
    } catch (ApiException e) {
      UiSecurity.headers(ctx.response());
      ctx.response()
          .setStatusCode(400)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end(e.getMessage());
      return;
    }
    drift
        .report(Callers.of(ctx), query.query(true))
        .onSuccess(
            report -> {
              UiSecurity.headers(ctx.response());
              ctx.response()
                  .setStatusCode(200)
                  .putHeader("X-Total-Count", Long.toString(report.total()))
                  .putHeader("Content-Type", "text/csv; charset=utf-8; header=present")
                  .putHeader("Content-Disposition", "attachment; filename=\"drift-report.csv\"")
                  .end(DriftCsv.render(report));
            })
        .onFailure(ctx::fail);
  }

  private void render(RoutingContext ctx, int status, DriftModel model) {
    UiRoutes.html(ctx, status, templates.render("drift.jte", model));
  }
}
