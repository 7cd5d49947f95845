package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.application.ApplicationManifests;
import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.application.HistoryEntry;
import dev.flotilla.controlplane.proxy.ResourceProxyService;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * The Application page's actions beyond a plain refresh: Sync with options (revision, prune, a dry
 * run that shows what would change and applies nothing), Rollback from the History, and Delete with
 * a typed confirmation. Each goes through the same service, RBAC and audit as REST; a form shows
 * only what the caller may do, and the service refuses a hand-made request anyway.
 */
final class UiApplicationActions {

  private final ApplicationService applications;
  private final ApplicationManifests manifests;
  private final ResourceProxyService proxy;
  private final UiTemplates templates;
  private UiApplicationPages pages;

  UiApplicationActions(
      ApplicationService applications,
      ApplicationManifests manifests,
      ResourceProxyService proxy,
      UiTemplates templates) {
    this.applications = applications;
    this.manifests = manifests;
    this.proxy = proxy;
    this.templates = templates;
  }

  void mount(Router router, UiApplicationPages pages) {
    this.pages = pages;
    router.get("/applications/:name/sync").handler(this::syncForm);
    router.post("/applications/:name/sync").handler(this::sync);
    router.post("/applications/:name/rollback").handler(this::rollback);
    router.get("/applications/:name/delete").handler(this::deleteForm);
    router.post("/applications/:name/delete").handler(this::delete);
  }

  /** What the detail page needs for its History and its Rollback and Delete buttons. */
  Future<DetailActions> forDetail(
      Caller caller, ApplicationView app, List<HistoryEntry> history, String error) {
    String object = ApplicationService.object(app);
    return applications
        .operations(caller, app.name())
        .otherwise(e -> List.<JsonObject>of()) // durations are a nicety: the page shows anyway
        .map(
            operations ->
                new DetailActions(
                    DeploymentHistory.rows(history, operations),
                    caller.may(Resources.APPLICATIONS, Actions.ROLLBACK, object),
                    caller.may(Resources.APPLICATIONS, Actions.DELETE, object),
                    error));
  }

  /** GET: the options (and with {@code preview}, the dry run). */
  private void syncForm(RoutingContext ctx) {
    syncPage(
        ctx,
        ctx.request().getParam("revision"),
        ctx.request().getParam("prune") != null,
        ctx.request().getParam("preview") != null);
  }

  /** The Sync page; with {@code preview} the dry run: the agent's diff, nothing applied. */
  private void syncPage(RoutingContext ctx, String asked, boolean prune, boolean preview) {
    Caller caller = Callers.of(ctx);
    String name = ctx.pathParam("name");
    applications
        .get(caller, name)
        .compose(
            app -> {
              String revision = param(asked, app.targetRevision());
              boolean maySync =
                  caller.may(Resources.APPLICATIONS, Actions.SYNC, ApplicationService.object(app));
              if (!preview) {
                return Future.succeededFuture(
                    new SyncFormModel(chrome(ctx, app), app, revision, prune, maySync, null, ""));
              }
              return proxy
                  .diff(caller, name)
                  .map(
                      r ->
                          new SyncFormModel(
                              chrome(ctx, app),
                              app,
                              revision,
                              prune,
                              maySync,
                              SyncPreview.of(r.getDiffsList(), prune),
                              otherRevision(app, revision)
                                  ? "The dry run compares with what the agent renders for "
                                      + app.targetRevision()
                                      + (r.getRevision().isEmpty()
                                          ? ""
                                          : " (" + UiText.shortSha(r.getRevision()) + ")")
                                      + ", not with "
                                      + revision
                                      + "."
                                  : ""))
                  .recover(
                      e ->
                          e instanceof ApiException a && a.kind() != ApiException.Kind.NOT_FOUND
                              ? Future.succeededFuture(
                                  new SyncFormModel(
                                      chrome(ctx, app),
                                      app,
                                      revision,
                                      prune,
                                      maySync,
                                      null,
                                      "No dry run: " + a.getMessage()))
                              : Future.failedFuture(e));
            })
        .onSuccess(m -> UiRoutes.html(ctx, 200, templates.render("syncForm.jte", m)))
        .onFailure(e -> pages.problem(ctx, e));
  }

  /**
   * POST: sync to the target (or another revision, which is a rollback), pruning if asked; the
   * form's "Dry run" button posts here too (its CSRF token stays out of URLs) and only previews.
   */
  private void sync(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    String name = ctx.pathParam("name");
    boolean prune = ctx.request().getFormAttribute("prune") != null;
    if (ctx.request().getFormAttribute("preview") != null) {
      syncPage(ctx, ctx.request().getFormAttribute("revision"), prune, true);
      return;
    }
    applications
        .get(caller, name)
        .compose(
            app -> {
              String revision = param(ctx.request().getFormAttribute("revision"), "");
              // The target itself (a branch, say) means "what Git says": no revision to pin.
              String pinned = otherRevision(app, revision) ? revision : null;
              return applications.sync(caller, name, pinned, prune);
            })
        .onSuccess(v -> done(ctx, name, prune ? "sync-prune" : "sync"))
        .onFailure(e -> pages.refused(ctx, name, e));
  }

  private void rollback(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    String name = ctx.pathParam("name");
    long id;
    try {
      id = Long.parseLong(param(ctx.request().getFormAttribute("id"), ""));
    } catch (NumberFormatException e) {
      pages.problem(ctx, ApiException.invalid("id: choose a deployment from the History"));
      return;
    }
    applications
        .rollback(caller, name, id, null)
        .onSuccess(v -> done(ctx, name, "rollback"))
        .onFailure(e -> pages.refused(ctx, name, e));
  }

  private void deleteForm(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    String name = ctx.pathParam("name");
    applications
        .get(caller, name)
        .onSuccess(app -> deletePage(ctx, 200, app, true, ""))
        .onFailure(e -> pages.problem(ctx, e));
  }

  /** Deletes only when the typed name matches exactly; cascade unless the user keeps resources. */
  private void delete(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    String name = ctx.pathParam("name");
    String typed = param(ctx.request().getFormAttribute("confirm"), "");
    boolean cascade = !"orphan".equals(ctx.request().getFormAttribute("cascade"));
    applications
        .get(caller, name)
        .onSuccess(
            app -> {
              if (!typed.equals(name)) {
                deletePage(
                    ctx,
                    400,
                    app,
                    cascade,
                    typed.isEmpty()
                        ? "Type the Application's name to confirm; nothing was deleted."
                        : "The name you typed, '"
                            + typed
                            + "', is not '"
                            + name
                            + "'; nothing was deleted.");
                return;
              }
              manifests
                  .delete(caller, name, cascade)
                  .onSuccess(v -> UiRoutes.redirect(ctx, "/applications?done=deleted"))
                  .onFailure(
                      e -> {
                        if (e instanceof ApiException a
                            && a.kind() != ApiException.Kind.FORBIDDEN
                            && a.kind() != ApiException.Kind.NOT_FOUND) {
                          deletePage(
                              ctx, UiApplicationPages.status(a), app, cascade, a.getMessage());
                        } else {
                          pages.problem(ctx, e);
                        }
                      });
            })
        .onFailure(e -> pages.problem(ctx, e));
  }

  private void deletePage(
      RoutingContext ctx, int status, ApplicationView app, boolean cascade, String error) {
    boolean mayDelete =
        Callers.of(ctx).may(Resources.APPLICATIONS, Actions.DELETE, ApplicationService.object(app));
    UiRoutes.html(
        ctx,
        status,
        templates.render(
            "deleteForm.jte",
            new DeleteFormModel(chrome(ctx, app), app, mayDelete, cascade, error)));
  }

  private static void done(RoutingContext ctx, String name, String action) {
    UiRoutes.redirect(ctx, "/applications/" + UiText.urlEncode(name) + "?done=" + action);
  }

  /** Whether {@code revision} names something else than the Application's target. */
  private static boolean otherRevision(ApplicationView app, String revision) {
    return !revision.isEmpty() && !revision.equals(app.targetRevision());
  }

  private static String param(String value, String otherwise) {
    return value == null || value.isBlank() ? otherwise : value.strip();
  }

  private static PageChrome chrome(RoutingContext ctx, ApplicationView app) {
    return UiView.chrome(ctx, app.name(), "applications", false);
  }
}
