package dev.flotilla.controlplane.cluster;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import dev.flotilla.core.selector.LabelSelector;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What may be done to clusters, for every entry point: validation, join tokens (shown once, stored
 * as a hash), and the consequences — ApplicationSets regenerate when clusters come, go or are
 * relabelled, and an agent whose token is revoked or rotated is disconnected at once.
 */
public final class ClusterRegistry {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** A registered cluster and its join token, which exists only in this answer. */
  public record Registered(Cluster cluster, String token) {}

  private final ClusterRepository clusters;
  private final ApplicationSetController controller;
  private final AgentDispatcher dispatcher;
  private final Audit audit;

  public ClusterRegistry(
      ClusterRepository clusters,
      ApplicationSetController controller,
      AgentDispatcher dispatcher,
      Audit audit) {
    this.clusters = clusters;
    this.controller = controller;
    this.dispatcher = dispatcher;
    this.audit = audit;
  }

  /** The clusters the caller may see whose labels match, in name order, one page. */
  public Future<Page<Cluster>> list(Caller caller, LabelSelector labels, PageRequest page) {
    return clusters
        .list()
        .map(
            all ->
                page.apply(
                    all.stream()
                        .filter(c -> caller.sees(Resources.CLUSTERS, c.name()))
                        .filter(c -> labels.matches(c.labels()))
                        .sorted(Comparator.comparing(Cluster::name))
                        .toList(),
                    Cluster::name));
  }

  public Future<Cluster> get(Caller caller, String name) {
    return get(name)
        .map(
            c -> {
              Guard.requireVisible(caller, Resources.CLUSTERS, name, "cluster", name);
              return c;
            });
  }

  public Future<Registered> register(
      Caller caller,
      String name,
      String server,
      Map<String, String> labels,
      Map<String, String> annotations) {
    return audit.record(
        caller,
        Actions.CREATE,
        Resources.CLUSTERS,
        String.valueOf(name),
        new JsonObject().put("server", server).put("labels", new JsonObject(Map.copyOf(labels))),
        () -> {
          Guard.requireAllowed(caller, Resources.CLUSTERS, Actions.CREATE, String.valueOf(name));
          return register(name, server, labels, annotations);
        });
  }

  public Future<Cluster> update(
      Caller caller, String name, Map<String, String> labels, Map<String, String> annotations) {
    return checked(
        caller,
        Actions.UPDATE,
        name,
        new JsonObject().put("labels", new JsonObject(Map.copyOf(labels))),
        () -> update(name, labels, annotations));
  }

  public Future<Void> remove(Caller caller, String name) {
    return checked(caller, Actions.DELETE, name, null, () -> remove(name));
  }

  public Future<Void> revoke(Caller caller, String name) {
    return checked(
        caller, Actions.UPDATE, name, new JsonObject().put("revoke", true), () -> revoke(name));
  }

  public Future<Registered> rotate(Caller caller, String name) {
    return checked(
        caller, Actions.UPDATE, name, new JsonObject().put("rotate", true), () -> rotate(name));
  }

  /** Checks {@code action} on an existing cluster (hidden ones are not found), then audits. */
  private <T> Future<T> checked(
      Caller caller, String action, String name, JsonObject details, Supplier<Future<T>> work) {
    return audit.record(
        caller,
        action,
        Resources.CLUSTERS,
        name,
        details,
        () ->
            get(name)
                .compose(
                    c -> {
                      Guard.require(caller, Resources.CLUSTERS, action, name, "cluster", name);
                      return work.get();
                    }));
  }

  public ClusterRepository repository() {
    return clusters;
  }

  private Future<Registered> register(
      String name, String server, Map<String, String> labels, Map<String, String> annotations) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Future.failedFuture(
          ApiException.invalid(
              "name: must be a DNS label (lower-case letters, digits and '-', at most 63), got '"
                  + name
                  + "'"));
    }
    String effectiveServer =
        server == null || server.isBlank() ? "https://" + name + ".cluster.invalid" : server;
    String token = JoinTokens.newToken();
    return clusters
        .insert(name, effectiveServer, labels, annotations, JoinTokens.hash(token))
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof ClusterExistsException
                        ? new ApiException(ApiException.Kind.EXISTS, e.getMessage())
                        : e))
        .compose(v -> controller.reconcileAll().recover(e -> Future.succeededFuture()))
        .compose(v -> get(name))
        .map(cluster -> new Registered(cluster, token));
  }

  private Future<Cluster> get(String name) {
    return clusters
        .get(name)
        .compose(
            found ->
                found
                    .map(Future::succeededFuture)
                    .orElseGet(() -> Future.failedFuture(ApiException.notFound("cluster", name))));
  }

  /**
   * Replaces labels and annotations; cluster generators select by label, so everything regenerates.
   */
  private Future<Cluster> update(
      String name, Map<String, String> labels, Map<String, String> annotations) {
    return clusters
        .updateMetadata(name, labels, annotations)
        .compose(
            found ->
                found
                    ? controller.reconcileAll().recover(e -> Future.succeededFuture())
                    : Future.failedFuture(ApiException.notFound("cluster", name)))
        .compose(v -> get(name));
  }

  private Future<Void> remove(String name) {
    return clusters
        .delete(name)
        .compose(
            deleted -> {
              if (!deleted) {
                return Future.failedFuture(ApiException.notFound("cluster", name));
              }
              dispatcher.disconnect(name, "cluster removed");
              return controller.reconcileAll().recover(e -> Future.succeededFuture());
            });
  }

  private Future<Void> revoke(String name) {
    return clusters
        .revokeToken(name)
        .compose(
            found -> {
              if (!found) {
                return Future.failedFuture(ApiException.notFound("cluster", name));
              }
              dispatcher.disconnect(name, "token revoked");
              return Future.succeededFuture();
            });
  }

  /** A new token replaces the old one, which stops working at once. */
  private Future<Registered> rotate(String name) {
    String token = JoinTokens.newToken();
    return clusters
        .rotateToken(name, JoinTokens.hash(token))
        .compose(
            found -> {
              if (!found) {
                return Future.failedFuture(ApiException.notFound("cluster", name));
              }
              dispatcher.disconnect(name, "token rotated");
              return get(name);
            })
        .map(cluster -> new Registered(cluster, token));
  }
}
