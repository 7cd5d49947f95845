package dev.flotilla.controlplane.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.proxy.ResourceProxyService;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.agent.v1.LogOptions;
import dev.flotilla.proto.agent.v1.ObjectDiff;
import dev.flotilla.proto.agent.v1.ObjectRef;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slide-out of one object of an Application's resource tree: its live manifest, its diff
 * against Git, its events and (for a Pod) its logs. Everything comes from {@link
 * ResourceProxyService}, the service behind REST's {@code /resource}, {@code /diff}, {@code
 * /events} and {@code /logs}, so RBAC is the same (an Application the caller may not see is not
 * found, logs need {@code logs, get}); what the agent cannot answer (not connected, gone) is said
 * in the panel.
 */
final class UiResourcePages implements UiView {

  private static final Logger LOG = LoggerFactory.getLogger(UiResourcePages.class);

  /** Log lines shown first; "More" multiplies them up to {@link #MAX_TAIL}. */
  static final int DEFAULT_TAIL = 100;

  static final int MAX_TAIL = Math.min(5_000, ResourceProxyLimits.MAX_TAIL_LINES);

  /** The header the page script sends to get the panel alone, without the page around it. */
  static final String FRAGMENT = "X-Flotilla-Fragment";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  private final ApplicationService applications;
  private final ResourceProxyService proxy;
  private final UiTemplates templates;

  UiResourcePages(
      ApplicationService applications, ResourceProxyService proxy, UiTemplates templates) {
    this.applications = applications;
    this.proxy = proxy;
    this.templates = templates;
  }

  @Override
  public List<String> paths() {
    // Under /applications/*, which the session check already guards.
    return List.of();
  }

  @Override
  public void mount(Router router) {
    router.get("/applications/:name/resource").handler(this::panel);
  }

  private void panel(RoutingContext ctx) {
    Caller caller = Callers.of(ctx);
    String name = ctx.pathParam("name");
    boolean fragment = "1".equals(ctx.request().getHeader(FRAGMENT));
    var q = ctx.queryParams();
    String tab = q.get("tab") == null || q.get("tab").isEmpty() ? "manifest" : q.get("tab");
    ObjectRef ref =
        ObjectRef.newBuilder()
            .setGroup(value(q.get("group")))
            .setKind(value(q.get("kind")))
            .setNamespace(value(q.get("namespace")))
            .setName(value(q.get("name")))
            .build();
    int tail;
    try {
      tab = checkedTab(tab);
      tail = tail(q.get("tail"));
    } catch (ApiException e) {
      problem(ctx, e);
      return;
    }
    String shown = tab;
    String container = value(q.get("container"));
    applications
        .get(caller, name)
        .onSuccess(
            app -> {
              boolean pod = ref.getKind().equals("Pod") && ref.getGroup().isEmpty();
              boolean mayLogs =
                  pod && caller.may(Resources.LOGS, Actions.GET, ApplicationService.object(app));
              ResourcePanelModel base =
                  new ResourcePanelModel(
                      UiView.chrome(
                          ctx, ref.getKind() + " " + ref.getName(), "applications", false),
                      fragment,
                      app.name(),
                      ref,
                      shown,
                      mayLogs,
                      "",
                      false,
                      "",
                      List.of(),
                      "",
                      List.of(),
                      List.of(),
                      container,
                      tail,
                      Math.min(MAX_TAIL, tail * 4),
                      List.of());
              read(ctx, caller, base)
                  .onSuccess(m -> UiRoutes.html(ctx, 200, templates.render("resource.jte", m)))
                  .onFailure(e -> failedTab(ctx, base, e));
            })
        .onFailure(e -> problem(ctx, e));
  }

  private Future<ResourcePanelModel> read(RoutingContext ctx, Caller caller, ResourcePanelModel m) {
    String app = m.app();
    ObjectRef ref = m.object();
    return switch (m.tab()) {
      case "diff" -> proxy.diff(caller, app).map(r -> diff(m, r));
      case "events" -> proxy.events(caller, app, ref).map(r -> m.withEvents(r.getEventsList()));
      case "logs" -> logs(caller, m);
      default ->
          proxy
              .resource(caller, app, ref)
              .compose(
                  r ->
                      ctx.vertx()
                          // Up to megabytes of JSON to YAML: not on the event loop.
                          .executeBlocking(() -> m.withManifest(yaml(r)), false));
    };
  }

  private Future<ResourcePanelModel> logs(Caller caller, ResourcePanelModel m) {
    if (!m.object().getKind().equals("Pod") || !m.object().getGroup().isEmpty()) {
      return Future.failedFuture(
          ApiException.invalid(
              "logs: only a Pod has logs here; open one of the Pods below "
                  + m.object().getKind()
                  + " "
                  + m.object().getName()));
    }
    LogOptions options =
        LogOptions.newBuilder().setContainer(m.container()).setTailLines(m.tail()).build();
    return proxy
        .resource(caller, m.app(), m.object())
        .compose(
            pod ->
                proxy
                    .logs(caller, m.app(), m.object(), options)
                    .map(r -> m.withLogs(containers(pod), r.getLogLinesList())));
  }

  /** The Pod's containers, init containers first, for the container choice. */
  private static List<String> containers(ResourceResponse pod) {
    List<String> names = new ArrayList<>();
    if (pod.getObjectsCount() == 0) {
      return names;
    }
    JsonObject spec = new JsonObject(pod.getObjects(0).getJson()).getJsonObject("spec");
    for (String field : List.of("initContainers", "containers")) {
      JsonArray list = spec == null ? null : spec.getJsonArray(field);
      if (list != null) {
        list.forEach(c -> names.add(c instanceof JsonObject o ? o.getString("name", "") : ""));
      }
    }
    names.removeIf(String::isEmpty);
    return names;
  }

  private static ResourcePanelModel diff(ResourcePanelModel m, ResourceResponse r) {
    ObjectRef ref = m.object();
    for (ObjectDiff d : r.getDiffsList()) {
      ObjectRef other = d.getRef();
      if (other.getGroup().equals(ref.getGroup())
          && other.getKind().equals(ref.getKind())
          && other.getName().equals(ref.getName())
          && (other.getNamespace().equals(ref.getNamespace())
              || other.getNamespace().isEmpty()
              || ref.getNamespace().isEmpty())) {
        return d.getModified()
            ? m.withDiff(DiffLine.of(d.getUnifiedDiff()), "")
            : m.withDiff(List.of(), "Live matches Git: no difference.");
      }
    }
    return m.withDiff(
        List.of(),
        ref.getKind()
            + " "
            + ref.getName()
            + " is not in Git: the cluster made it for an object that owns it, so it has no"
            + " desired state to compare.");
  }

  private static String yaml(ResourceResponse r) throws Exception {
    if (r.getObjectsCount() == 0) {
      throw new ApiException(ApiException.Kind.NOT_FOUND, "the agent found no such object");
    }
    return YAML.writeValueAsString(JSON.readTree(r.getObjects(0).getJson()));
  }

  /** The panel still shows, with what went wrong reading its tab. */
  private void failedTab(RoutingContext ctx, ResourcePanelModel base, Throwable e) {
    if (!(e instanceof ApiException a)) {
      LOG.warn("UI request {} failed", ctx.request().path(), e);
      UiRoutes.html(
          ctx,
          500,
          templates.render(
              "resource.jte", base.failed("The server could not answer: try again.", false)));
      return;
    }
    int status =
        switch (a.kind()) {
          case UNAVAILABLE -> 503;
          case FORBIDDEN -> 403;
          case NOT_FOUND -> 404;
          case INVALID -> 400;
          default -> 409;
        };
    String text =
        a.kind() == ApiException.Kind.UNAVAILABLE
            ? "Agent not connected: " + a.getMessage() + ". Try again when it is back."
            : a.getMessage();
    UiRoutes.html(
        ctx,
        status,
        templates.render(
            "resource.jte", base.failed(text, a.kind() == ApiException.Kind.UNAVAILABLE)));
  }

  /** An Application the caller may not see answers exactly as a missing one. */
  private void problem(RoutingContext ctx, Throwable e) {
    int status = 500;
    String heading = "Something went wrong";
    String text = "The server could not answer: try again.";
    if (e instanceof ApiException a) {
      text = a.getMessage();
      status = a.kind() == ApiException.Kind.NOT_FOUND ? 404 : 400;
      heading = status == 404 ? "Not found" : "Cannot do that";
    } else {
      LOG.warn("UI request {} failed", ctx.request().path(), e);
    }
    UiRoutes.html(
        ctx,
        status,
        templates.render(
            "message.jte",
            Map.of(
                "chrome",
                UiView.chrome(ctx, heading, "applications", false),
                "heading",
                heading,
                "text",
                text)));
  }

  static String checkedTab(String tab) {
    if (!ResourcePanelModel.TABS.contains(tab)) {
      throw ApiException.invalid(
          "tab: must be one of "
              + String.join(", ", ResourcePanelModel.TABS)
              + ", found '"
              + UiText.brief(tab)
              + "'");
    }
    return tab;
  }

  /** How many log lines: 1 to {@link #MAX_TAIL}, {@link #DEFAULT_TAIL} when not given. */
  static int tail(String text) {
    if (text == null || text.isEmpty()) {
      return DEFAULT_TAIL;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= 1 && n <= MAX_TAIL) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw ApiException.invalid(
        "tail: must be a whole number from 1 to "
            + MAX_TAIL
            + ", found '"
            + UiText.brief(text)
            + "'");
  }

  private static String value(String s) {
    return s == null ? "" : s;
  }
}
