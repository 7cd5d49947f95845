package dev.flotilla.controlplane.cluster;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import io.vertx.core.Future;
import java.util.Map;
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

  public ClusterRegistry(
      ClusterRepository clusters, ApplicationSetController controller, AgentDispatcher dispatcher) {
    this.clusters = clusters;
    this.controller = controller;
    this.dispatcher = dispatcher;
  }

  public ClusterRepository repository() {
    return clusters;
  }

  public Future<Registered> register(
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

  public Future<Cluster> get(String name) {
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
  public Future<Cluster> update(
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

  public Future<Void> remove(String name) {
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

  public Future<Void> revoke(String name) {
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
  public Future<Registered> rotate(String name) {
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
