package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.application.HistoryEntry;
import dev.flotilla.controlplane.application.SyncWindowNote;
import dev.flotilla.controlplane.proxy.ResourceProxyService;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Applications list and detail pages and their actions. Every read and every action goes
 * through {@link ApplicationService}, so RBAC and audit are those of REST and gRPC: an Application
 * the caller may not see is "not found" exactly like a missing one, and an action the caller may
 * not take is refused by the service even when a hand-made form asks for it.
 */
public final class UiApplicationPages {

  private static final Logger LOG = LoggerFactory.getLogger(UiApplicationPages.class);
  private static final int MAX_BULK = 500;

  private final ApplicationService applications;
  private final UiApplicationRepository summaries;
  private final ResourceProxyService trees;
  private final ParentChildren parents;
  private final UiTemplates templates;
  private final Clock clock;
  private final UiApplicationActions actions;

  UiApplicationPages(
      ApplicationService applications,
      UiApplicationRepository summaries,
      ResourceProxyService trees,
      ParentChildren parents,
      UiTemplates templates,
      Clock clock,
      UiApplicationActions actions) {
    this.applications = applications;
    this.summaries = summaries;
    this.trees = trees;
    this.parents = parents;
    this.templates = templates;
    this.clock = clock;
    this.actions = actions;
  }

  void mount(Router router) {
    router.get("/applications").handler(this::list);
    router.post("/applications/bulk").handler(this::bulk);
    router.get("/applications/:name").handler(this::detail);
    actions.mount(router, this); // sync with options, rollback, delete
    router.post("/applications/:name/refresh").handler(this::refresh);
  }

  private void list(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    PageChrome chrome = chrome(ctx, "Applications");
    ApplicationsQuery query;
    try {
      query = ApplicationsQuery.parse(ctx.request()::getParam);
    } catch (ApiException e) {
      query = ApplicationsQuery.parse(name -> null);
      render(ctx, 400, chrome, query, empty(), e.getMessage());
      return;
    }
    ApplicationsQuery q = query;
    summaries
        .summaries(q.filter())
        .onSuccess(
            rows ->
                render(
                    ctx,
                    200,
                    chrome,
                    q,
                    ApplicationsListing.of(
                        rows,
                        q,
                        a ->
                            caller.sees(
                                Resources.APPLICATIONS, Guard.inProject(a.project(), a.name()))),
                    ""))
        .onFailure(ctx::fail);
  }

  private void render(
      RoutingContext ctx,
      int status,
      PageChrome chrome,
      ApplicationsQuery query,
      ApplicationsListing listing,
      String error) {
    Caller caller = Callers.of(ctx);
    Set<String> syncable = new HashSet<>();
    for (AppSummary a : listing.items()) {
      if (caller.may(
          Resources.APPLICATIONS, Actions.SYNC, Guard.inProject(a.project(), a.name()))) {
        syncable.add(a.name());
      }
    }
    String flash = flash(ctx);
    UiRoutes.html(
        ctx,
        status,
        templates.render(
            "applications.jte",
            new ApplicationsModel(
                chrome, query, listing, syncable, clock.instant(), error, flash)));
  }

  private static ApplicationsListing empty() {
    return new ApplicationsListing(List.of(), 0, 1, 1, Map.of(), Map.of());
  }

  private void detail(RoutingContext ctx) {
    detail(ctx, 200, "");
  }

  /** The detail page, with {@code error} (an action the service refused) shown as a flash. */
  private void detail(RoutingContext ctx, int status, String error) {
    Caller caller = Callers.of(ctx);
    applications
        .get(caller, ctx.pathParam("name"))
        .compose(app -> model(ctx, caller, app, error))
        .onSuccess(model -> UiRoutes.html(ctx, status, templates.render("application.jte", model)))
        .onFailure(e -> problem(ctx, e));
  }

  /** What the detail page shows, its parts read at once. */
  private Future<ApplicationModel> model(
      RoutingContext ctx, Caller caller, ApplicationView app, String error) {
    Future<List<HistoryEntry>> history = applications.history(caller, app.name());
    Future<JsonObject> tree = trees.resourceTree(caller, app.name());
    Future<Optional<SyncWindowNote>> window = applications.syncWindow(app);
    // The page stands without it: App of Apps status is an addition, not the Application itself.
    Future<JsonObject> declared =
        parents
            .of(app.name())
            .recover(
                e -> {
                  LOG.warn("cannot read what Application {} declares", app.name(), e);
                  return Future.succeededFuture(new JsonObject());
                });
    return Future.all(history, tree, window, declared)
        .compose(all -> actions.forDetail(caller, app, history.result(), error))
        .map(
            more ->
                new ApplicationModel(
                    chrome(ctx, app.name()),
                    app,
                    history.result(),
                    caller.may(
                        Resources.APPLICATIONS, Actions.SYNC, ApplicationService.object(app)),
                    ResourceTreeModel.of(
                        tree.result().getJsonArray("nodes"),
                        tree.result().getInteger("omitted", 0),
                        app.resources()),
                    clock.instant(),
                    error.isEmpty() ? flash(ctx) : "",
                    more,
                    StatusPanel.of(app, window.result(), declared.result())));
  }

  /**
   * An action the service refused: "not found" and "not allowed" as their own pages (exactly as for
   * a missing Application), anything else (automated sync on, agent away, bad input) as a flash on
   * the Application's page.
   */
  void refused(RoutingContext ctx, String name, Throwable e) {
    if (e instanceof ApiException a
        && a.kind() != ApiException.Kind.NOT_FOUND
        && a.kind() != ApiException.Kind.FORBIDDEN) {
      detail(ctx, status(a), a.getMessage());
      return;
    }
    problem(ctx, e);
  }

  static int status(ApiException a) {
    return switch (a.kind()) {
      case NOT_FOUND -> 404;
      case FORBIDDEN -> 403;
      case INVALID -> 400;
      case UNAVAILABLE -> 503;
      default -> 409;
    };
  }

  /** Refresh (sync, with or without options, is {@link UiApplicationActions}'). */
  private void refresh(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    applications
        .refresh(Callers.of(ctx), name, false)
        .onSuccess(
            v ->
                UiRoutes.redirect(ctx, "/applications/" + UiText.urlEncode(name) + "?done=refresh"))
        .onFailure(e -> problem(ctx, e));
  }

  /** Refresh or sync each selected Application, each checked by RBAC on its own. */
  private void bulk(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    String action = ctx.request().getFormAttribute("action");
    List<String> names = ctx.request().formAttributes().getAll("app");
    if (!"sync".equals(action) && !"refresh".equals(action)) {
      problem(ctx, ApiException.invalid("action: choose Refresh or Sync"));
      return;
    }
    if (names.size() > MAX_BULK) {
      problem(ctx, ApiException.invalid("select at most " + MAX_BULK + " Applications at once"));
      return;
    }
    List<Future<String>> each = new ArrayList<>();
    for (String name : names) {
      Future<?> one =
          action.equals("sync")
              ? applications.sync(caller, name, null)
              : applications.refresh(caller, name, false);
      each.add(one.map(v -> "").otherwise(e -> name + ": " + e.getMessage()));
    }
    Future.all(each)
        .onComplete(
            all -> {
              List<String> failed = new ArrayList<>();
              each.forEach(
                  f -> {
                    if (f.result() != null && !f.result().isEmpty()) {
                      failed.add(f.result());
                    }
                  });
              String verb = action.equals("sync") ? "Sync" : "Refresh";
              String summary =
                  verb
                      + " requested for "
                      + (names.size() - failed.size())
                      + " of "
                      + names.size()
                      + " selected Applications."
                      + (failed.isEmpty() ? "" : " Refused: " + String.join("; ", failed));
              message(ctx, 200, verb + " requested", summary);
            });
  }

  void problem(RoutingContext ctx, Throwable e) {
    if (!(e instanceof ApiException a)) {
      LOG.warn("UI request {} failed", ctx.request().path(), e);
      message(ctx, 500, "Something went wrong", "The server could not answer: try again.");
      return;
    }
    switch (a.kind()) {
      case NOT_FOUND -> message(ctx, 404, "Not found", a.getMessage());
      case FORBIDDEN -> message(ctx, 403, "Not allowed", a.getMessage());
      case INVALID -> message(ctx, 400, "Cannot do that", a.getMessage());
      default -> message(ctx, 409, "Cannot do that now", a.getMessage());
    }
  }

  private void message(RoutingContext ctx, int status, String heading, String text) {
    UiRoutes.html(
        ctx,
        status,
        templates.render(
            "message.jte",
            Map.of("chrome", chrome(ctx, heading), "heading", heading, "text", text)));
  }

  private static PageChrome chrome(RoutingContext ctx, String title) {
    UiSession session = ctx.get(UiRoutes.SESSION_KEY);
    return new PageChrome(title, Callers.of(ctx).name(), session.csrf(), "applications", true);
  }

  /** The outcome of the last action, from the redirect that followed it. */
  private static String flash(RoutingContext ctx) {
    String done = ctx.request().getParam("done");
    if ("sync".equals(done)) {
      return "Sync requested.";
    }
    if ("refresh".equals(done)) {
      return "Refresh requested.";
    }
    if ("sync-prune".equals(done)) {
      return "Sync with prune requested.";
    }
    if ("rollback".equals(done)) {
      return "Rollback requested.";
    }
    if ("deleted".equals(done)) {
      return "Application deleted.";
    }
    // Fixed texts only: a crafted link cannot make the page say anything else.
    return "";
  }
}
