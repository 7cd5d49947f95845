package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.application.ApplicationFilter;
import dev.flotilla.controlplane.appset.ApplicationSetCatalog;
import dev.flotilla.controlplane.appset.ApplicationSetRepository.StoredApplicationSet;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import dev.flotilla.core.selector.LabelSelector;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ApplicationSets pages: the list, one set's page, and its preview (a dry-run generate of an
 * edited spec that stores nothing). Sets come from {@link ApplicationSetCatalog} as REST's do, so a
 * set the caller may not get is "not found" exactly like a missing one, and the preview runs the
 * catalog's dry run with its {@code applicationsets, create} checks.
 */
final class UiApplicationSetPages implements UiView {

  private static final Logger LOG = LoggerFactory.getLogger(UiApplicationSetPages.class);

  /** One set's page lists this many of its Applications and links to the filtered list for all. */
  static final int APPS_SHOWN = 100;

  private final ApplicationSetCatalog catalog;
  private final UiApplicationRepository summaries;
  private final UiTemplates templates;
  private final Clock clock;

  UiApplicationSetPages(
      ApplicationSetCatalog catalog,
      UiApplicationRepository summaries,
      UiTemplates templates,
      Clock clock) {
    this.catalog = catalog;
    this.summaries = summaries;
    this.templates = templates;
    this.clock = clock;
  }

  @Override
  public List<String> paths() {
    return List.of("/applicationsets", "/applicationsets/*");
  }

  @Override
  public void mount(Router router) {
    router.get("/applicationsets").handler(this::list);
    router.get("/applicationsets/:name").handler(this::detail);
    router.post("/applicationsets/:name/preview").handler(this::preview);
  }

  private void list(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    catalog
        .list(caller, null, LabelSelector.everything(), PageRequest.ALL)
        .compose(
            page ->
                visibleApps(caller, ApplicationFilter.ALL)
                    .map(
                        apps -> {
                          Map<String, AppCounts> counts =
                              AppCounts.by(apps, AppSummary::applicationSet);
                          return page.items().stream()
                              .map(
                                  s ->
                                      ApplicationSetSummary.of(
                                          s, counts.getOrDefault(s.name(), AppCounts.NONE)))
                              .toList();
                        }))
        .onSuccess(
            rows ->
                UiRoutes.html(
                    ctx,
                    200,
                    templates.render(
                        "applicationsets.jte",
                        new ApplicationSetsModel(
                            UiView.chrome(ctx, "ApplicationSets", "applicationsets", false),
                            rows,
                            clock.instant()))))
        .onFailure(e -> problem(ctx, e));
  }

  private void detail(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Caller caller = Callers.of(ctx);
    catalog
        .get(caller, name)
        .compose(set -> page(ctx, set, null, null, ""))
        .onSuccess(model -> render(ctx, 200, model))
        .onFailure(e -> problem(ctx, e));
  }

  /**
   * Runs the catalog's dry run on the submitted spec and shows it against the set's Applications.
   * The set must be visible (else "not found"), and the caller must be allowed to create it (else
   * refused, whatever the form says); the catalog checks the edited spec's projects too.
   */
  private void preview(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Caller caller = Callers.of(ctx);
    String text = ctx.request().getFormAttribute("spec");
    catalog
        .get(caller, name)
        .onSuccess(
            set -> {
              try {
                Guard.requireAllowed(
                    caller,
                    Resources.APPLICATIONSETS,
                    Actions.CREATE,
                    ApplicationSetCatalog.object(name, set.document()));
              } catch (ApiException refused) {
                problem(ctx, refused);
                return;
              }
              if (text == null || text.isBlank()) {
                page(ctx, set, "", null, "spec: paste an ApplicationSet (YAML or JSON) to preview")
                    .onSuccess(m -> render(ctx, 400, m))
                    .onFailure(e -> problem(ctx, e));
                return;
              }
              catalog
                  .generate(caller, text)
                  .transform(
                      generated -> {
                        if (generated.succeeded()) {
                          return visibleApps(caller, ofSet(name))
                              .map(
                                  apps ->
                                      ApplicationSetPreview.of(
                                          generated.result(),
                                          apps.stream().map(AppSummary::name).toList()))
                              .compose(
                                  p -> page(ctx, set, text, p, "").map(m -> Map.entry(200, m)));
                        }
                        Throwable e = generated.cause();
                        if (!(e instanceof ApiException a)) {
                          return Future.failedFuture(e);
                        }
                        return page(ctx, set, text, null, a.getMessage())
                            .map(m -> Map.entry(status(a), m));
                      })
                  .onSuccess(answer -> render(ctx, answer.getKey(), answer.getValue()))
                  .onFailure(e -> problem(ctx, e));
            })
        .onFailure(e -> problem(ctx, e));
  }

  private Future<ApplicationSetModel> page(
      RoutingContext ctx,
      StoredApplicationSet set,
      String specText,
      ApplicationSetPreview preview,
      String previewError) {
    Caller caller = Callers.of(ctx);
    String yaml = ReadableYaml.of(set.document());
    boolean mayPreview =
        caller.may(
            Resources.APPLICATIONSETS,
            Actions.CREATE,
            ApplicationSetCatalog.object(set.name(), set.document()));
    return visibleApps(caller, ofSet(set.name()))
        .map(
            apps ->
                new ApplicationSetModel(
                    UiView.chrome(ctx, set.name(), "applicationsets", false),
                    ApplicationSetSummary.of(set, AppCounts.of(apps)),
                    apps.stream()
                        .sorted(Comparator.comparing(AppSummary::name))
                        .limit(APPS_SHOWN)
                        .toList(),
                    yaml,
                    mayPreview,
                    specText == null ? yaml : specText,
                    preview,
                    previewError,
                    clock.instant()));
  }

  /** The Applications matching {@code filter} that the caller may see. */
  private Future<List<AppSummary>> visibleApps(Caller caller, ApplicationFilter filter) {
    return summaries
        .summaries(filter)
        .map(
            all ->
                all.stream()
                    .filter(
                        a ->
                            caller.sees(
                                Resources.APPLICATIONS, Guard.inProject(a.project(), a.name())))
                    .toList());
  }

  private static ApplicationFilter ofSet(String name) {
    return new ApplicationFilter(null, null, name, null, null, LabelSelector.EVERYTHING);
  }

  private static int status(ApiException a) {
    return switch (a.kind()) {
      case INVALID -> 400;
      case FORBIDDEN -> 403;
      case TOO_LARGE -> 413;
      case NOT_FOUND -> 404;
      default -> 409;
    };
  }

  private void render(RoutingContext ctx, int status, ApplicationSetModel model) {
    UiRoutes.html(ctx, status, templates.render("applicationset.jte", model));
  }

  private void problem(RoutingContext ctx, Throwable e) {
    if (!(e instanceof ApiException a)) {
      LOG.warn("UI request {} failed", ctx.request().path(), e);
      message(ctx, 500, "Something went wrong", "The server could not answer: try again.");
      return;
    }
    switch (a.kind()) {
      case NOT_FOUND -> message(ctx, 404, "Not found", a.getMessage());
      case FORBIDDEN -> message(ctx, 403, "Not allowed", a.getMessage());
      case INVALID -> message(ctx, 400, "Cannot do that", a.getMessage());
      default -> message(ctx, status(a), "Cannot do that now", a.getMessage());
    }
  }

  private void message(RoutingContext ctx, int status, String heading, String text) {
    UiRoutes.html(
        ctx,
        status,
        templates.render(
            "message.jte",
            Map.of(
                "chrome",
                UiView.chrome(ctx, heading, "applicationsets", false),
                "heading",
                heading,
                "text",
                text)));
  }
}
