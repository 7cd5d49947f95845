package dev.flotilla.controlplane.proxy;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.LogLine;
import dev.flotilla.proto.agent.v1.LogOptions;
import dev.flotilla.proto.agent.v1.ObjectRef;
import dev.flotilla.proto.agent.v1.ResourceRequest;
import dev.flotilla.proto.agent.v1.ResourceRequestKind;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the UI, REST, gRPC and the CLI read of an Application's objects in its cluster: the resource
 * tree (stored from the agent's statuses), and — asked of the agent that owns the cluster, since
 * the control plane holds no cluster credentials — live and desired manifests, the diff, one
 * object, its events and Pod logs. Every read is checked before the agent is asked: {@code
 * applications, get} on the Application (one the caller may not see is answered as missing), and
 * for logs {@code logs, get} as well, as in Argo CD. Reads are not audited, as Argo CD audits none.
 * Also the relay of what agents send for the proxy.
 */
public final class ResourceProxyService implements AgentDispatcher.ResourceRelay {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceProxyService.class);

  /** Longest object name or namespace Kubernetes accepts. */
  static final int MAX_NAME = 253;

  private final ApplicationService applications;
  private final ResourceBroker broker;
  private final ResourceTreeRepository trees;

  public ResourceProxyService(
      ApplicationService applications, ResourceBroker broker, ResourceTreeRepository trees) {
    this.applications = applications;
    this.broker = broker;
    this.trees = trees;
  }

  /**
   * The tree as the agent last reported it, each managed object with its sync status from the
   * Application's status: {"nodes": [...], "omitted": N, "observedAt": ...}.
   */
  public Future<JsonObject> resourceTree(Caller caller, String name) {
    return applications
        .get(caller, name)
        .compose(
            app ->
                trees
                    .get(app.name())
                    .map(
                        stored -> {
                          JsonObject out = new JsonObject().put("name", app.name());
                          if (stored.isEmpty()) {
                            return out.put("nodes", new JsonArray()).put("omitted", 0);
                          }
                          return out.put("nodes", withSync(stored.get().nodes(), app))
                              .put("omitted", stored.get().omitted())
                              .put("observedAt", stored.get().observedAt().toInstant().toString());
                        }));
  }

  private static JsonArray withSync(JsonArray nodes, ApplicationView app) {
    // One pass over each list (a map, not a search per node): trees reach thousands of objects.
    Map<String, String> syncOf = new HashMap<>();
    for (int j = 0; j < app.resources().size(); j++) {
      JsonObject r = app.resources().getJsonObject(j);
      syncOf.putIfAbsent(key(r), r.getString("sync"));
    }
    JsonArray out = new JsonArray();
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject n = nodes.getJsonObject(i).copy();
      if (n.getBoolean("managed", false) && syncOf.containsKey(key(n))) {
        n.put("sync", syncOf.get(key(n)));
      }
      out.add(n);
    }
    return out;
  }

  private static String key(JsonObject o) {
    return o.getString("group", "")
        + "/"
        + o.getString("kind", "")
        + "/"
        + o.getString("namespace", "")
        + "/"
        + o.getString("name", "");
  }

  /** Every object as rendered from Git ({@code git}) or as live in the cluster ({@code live}). */
  public Future<ResourceResponse> manifests(Caller caller, String name, String source) {
    ResourceRequestKind kind;
    if (source == null || source.isEmpty() || source.equals("git")) {
      kind = ResourceRequestKind.DESIRED_MANIFESTS;
    } else if (source.equals("live")) {
      kind = ResourceRequestKind.LIVE_MANIFESTS;
    } else {
      return Future.failedFuture(
          ApiException.invalid("source: must be git or live, found '" + source + "'"));
    }
    return ask(caller, name, request(kind));
  }

  /** Desired against live, per object, as drift detection compares them. */
  public Future<ResourceResponse> diff(Caller caller, String name) {
    return ask(caller, name, request(ResourceRequestKind.DIFF));
  }

  /** One object of the Application (managed, or a child such as a Pod), live. */
  public Future<ResourceResponse> resource(Caller caller, String name, ObjectRef object) {
    return checked(object)
        .compose(ref -> ask(caller, name, request(ResourceRequestKind.LIVE_OBJECT).setObject(ref)));
  }

  public Future<ResourceResponse> events(Caller caller, String name, ObjectRef object) {
    return checked(object)
        .compose(ref -> ask(caller, name, request(ResourceRequestKind.EVENTS).setObject(ref)));
  }

  /** The last log lines of a Pod, or of the Pods of a workload. */
  public Future<ResourceResponse> logs(
      Caller caller, String name, ObjectRef object, LogOptions options) {
    return checked(object)
        .compose(
            ref ->
                logsAllowed(caller, name)
                    .compose(
                        app ->
                            sendTo(
                                app,
                                request(ResourceRequestKind.LOGS)
                                    .setObject(ref)
                                    .setLogs(options.toBuilder().setFollow(false)))));
  }

  /**
   * Follows the logs: {@code lines} receives each line as it comes, until the agent ends the follow
   * or {@code cancel} completes (the client went away).
   */
  public Future<Void> followLogs(
      Caller caller,
      String name,
      ObjectRef object,
      LogOptions options,
      Consumer<LogLine> lines,
      Future<Void> cancel) {
    return checked(object)
        .compose(
            ref ->
                logsAllowed(caller, name)
                    .compose(
                        app ->
                            broker.follow(
                                cluster(app),
                                request(ResourceRequestKind.LOGS)
                                    .setApplication(app.name())
                                    .setObject(ref)
                                    .setLogs(options.toBuilder().setFollow(true)),
                                part -> part.getLogLinesList().forEach(lines),
                                cancel)));
  }

  private Future<ApplicationView> logsAllowed(Caller caller, String name) {
    return applications
        .get(caller, name)
        .map(
            app -> {
              // The caller sees the Application (checked above): a refusal reveals nothing.
              Guard.requireAllowed(
                  caller, Resources.LOGS, Actions.GET, ApplicationService.object(app));
              return app;
            });
  }

  private Future<ResourceResponse> ask(Caller caller, String name, ResourceRequest.Builder r) {
    return applications.get(caller, name).compose(app -> sendTo(app, r));
  }

  private Future<ResourceResponse> sendTo(ApplicationView app, ResourceRequest.Builder r) {
    String cluster;
    try {
      cluster = cluster(app);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return broker.ask(cluster, r.setApplication(app.name()));
  }

  private static String cluster(ApplicationView app) {
    if (app.cluster() == null) {
      throw new ApiException(
          ApiException.Kind.PRECONDITION,
          "application '"
              + app.name()
              + "' runs in no cluster"
              + (app.dispatchError() == null ? "" : ": " + app.dispatchError()));
    }
    return app.cluster();
  }

  private static ResourceRequest.Builder request(ResourceRequestKind kind) {
    return ResourceRequest.newBuilder().setKind(kind);
  }

  /** The object named well enough to look for: kind and name required, sizes bounded. */
  static Future<ObjectRef> checked(ObjectRef ref) {
    if (ref.getKind().isBlank()) {
      return Future.failedFuture(ApiException.invalid("kind: required (e.g. Pod, Deployment)"));
    }
    if (ref.getName().isBlank()) {
      return Future.failedFuture(ApiException.invalid("name: required (the object's name)"));
    }
    for (String[] field :
        List.of(
            new String[] {"group", ref.getGroup()},
            new String[] {"kind", ref.getKind()},
            new String[] {"namespace", ref.getNamespace()},
            new String[] {"name", ref.getName()})) {
      if (field[1].length() > MAX_NAME || field[1].contains("/")) {
        return Future.failedFuture(
            ApiException.invalid(
                field[0] + ": not a Kubernetes " + field[0] + " (at most 253 characters, no '/')"));
      }
    }
    return Future.succeededFuture(ref);
  }

  // ------------------------------------------------------------------ relay from agents

  @Override
  public void answered(String cluster, ResourceResponse response) {
    broker.answered(cluster, response);
  }

  @Override
  public void statuses(String cluster, List<ApplicationStatus> statuses) {
    for (ApplicationStatus s : statuses) {
      trees
          .record(cluster, s)
          .onFailure(e -> LOG.warn("cannot store the resource tree of {}", s.getApplication(), e));
    }
  }

  @Override
  public void disconnected(String cluster) {
    broker.disconnected(cluster);
  }
}
