package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.identity.AuditQuery;
import dev.flotilla.controlplane.identity.AuditService;
import dev.flotilla.controlplane.query.KeysetToken;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The Audit page: the audit log lines the caller may see (through {@link AuditService}, as {@code
 * GET /api/v1/audit}), newest first, filtered by actor, paged with the log's own page token.
 */
final class UiAuditPages implements UiView {

  static final int PAGE_SIZE = 50;

  private final AuditService audit;
  private final UiTemplates templates;

  UiAuditPages(AuditService audit, UiTemplates templates) {
    this.audit = audit;
    this.templates = templates;
  }

  @Override
  public List<String> paths() {
    return List.of("/audit");
  }

  @Override
  public void mount(Router router) {
    router.get("/audit").handler(this::list);
  }

  private void list(RoutingContext ctx) {
    PageChrome chrome = UiView.chrome(ctx, "Audit", "audit", false);
    String typed = ctx.request().getParam("actor");
    String actor = typed == null ? "" : typed.strip();
    KeysetToken after;
    try {
      String page = ctx.request().getParam("page");
      after = page == null || page.isEmpty() ? null : KeysetToken.decode(page, "page");
    } catch (RuntimeException e) {
      render(ctx, 400, new AuditModel(chrome, List.of(), actor, "", e.getMessage()));
      return;
    }
    AuditQuery query =
        new AuditQuery(actor.isEmpty() ? null : actor, null, null, null, null, PAGE_SIZE, after);
    audit
        .list(Callers.of(ctx), query, PAGE_SIZE)
        .onSuccess(
            page -> {
              String next =
                  page.next() == null
                      ? ""
                      : "/audit?"
                          + (actor.isEmpty() ? "" : "actor=" + UiText.urlEncode(actor) + "&")
                          + "page="
                          + UiText.urlEncode(page.nextPageToken());
              render(ctx, 200, new AuditModel(chrome, page.entries(), actor, next, ""));
            })
        .onFailure(ctx::fail);
  }

  private void render(RoutingContext ctx, int status, AuditModel model) {
    UiRoutes.html(ctx, status, templates.render("audit.jte", model));
  }
}
