package dev.flotilla.controlplane.drift;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.query.KeysetToken;
import dev.flotilla.controlplane.query.Page;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Drift as one caller may see it, shared by REST ({@link DriftRoutes}) and gRPC ({@link
 * DriftGrpcService}): both scope every answer the same way, drift of Applications the caller may
 * {@code get}.
 */
public final class DriftService {

  private final DriftRepository drift;
  private final DriftFeed feed;
  private final ProjectTeams teams;

  public DriftService(DriftRepository drift, DriftFeed feed, ProjectTeams teams) {
    this.drift = drift;
    this.feed = feed;
    this.teams = teams;
  }

  /** The fleet-wide drift report, scoped to {@code caller}. */
  public Future<DriftReport> report(Caller caller, DriftQuery query) {
    return drift.report(query, DriftScope.of(caller), teams);
  }

  /** One page of raw drift events, newest first, scoped to {@code caller}. */
  public Future<Page<JsonObject>> recent(
      Caller caller, String applicationOrNull, int limit, KeysetToken after) {
    return drift.recent(applicationOrNull, limit, after, DriftScope.of(caller));
  }

  /**
   * Hands each newly stored drift that matches {@code filter} and that {@code caller} may see to
   * {@code listener}, until the returned handle is closed. The scope is decided now, on the
   * caller's own context: the feed publishes from elsewhere.
   */
  public AutoCloseable watch(Caller caller, DriftQuery filter, Consumer<DriftedObject> listener) {
    DriftScope scope = DriftScope.of(caller);
    return feed.subscribe(
        o -> {
          if (filter.matches(o) && scope.sees(o.project(), o.application())) {
            listener.accept(o);
          }
        });
  }
}
