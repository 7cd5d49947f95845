package dev.flotilla.controlplane.drift;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;

/**
 * What the caller of a drift request may see and how projects map to teams. RBAC plugs in here;
 * until it does, {@link #EVERYTHING} shows all projects and knows no teams.
 */
public interface DriftScope {

  DriftScope EVERYTHING = ctx -> Future.succeededFuture(null);

  /** Projects the caller may see; null for all. An empty set shows nothing. */
  Future<Set<String>> visibleProjects(RoutingContext ctx);

  /** Project → team, for the per-team totals. */
  default Future<Map<String, String>> teams(RoutingContext ctx) {
    return Future.succeededFuture(Map.of());
  }
}
