package dev.flotilla.controlplane.proxy;

import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.ResourceNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The resource trees agents report with their statuses, one per Application, kept under the same
 * rule as the status: only from the agent the Application is assigned to, and never replaced by an
 * older report (lower generation, or the same generation observed earlier).
 */
public final class ResourceTreeRepository {

  private final Pool pool;

  public ResourceTreeRepository(Pool pool) {
    this.pool = pool;
  }

  /** The tree stored for {@code application}: {"nodes": [...], "omitted": N, "observedAt": ...}. */
  public record StoredTree(JsonArray nodes, int omitted, OffsetDateTime observedAt) {}

  /**
   * Stores the status's tree. A status without one (an older agent, or a render that failed before
   * the cluster was read) leaves the stored tree as it is.
   *
   * @return whether it was stored
   */
  public Future<Boolean> record(String cluster, ApplicationStatus s) {
    if (s.getTreeCount() == 0) {
      return Future.succeededFuture(false);
    }
    JsonArray nodes = new JsonArray();
    s.getTreeList().forEach(n -> nodes.add(json(n)));
    OffsetDateTime observedAt =
        OffsetDateTime.ofInstant(
            s.getObservedAtUnixMs() == 0
                ? Instant.now()
                : Instant.ofEpochMilli(s.getObservedAtUnixMs()),
            ZoneOffset.UTC);
    return pool.preparedQuery(
            "INSERT INTO application_resource_tree (application, generation, observed_at, nodes,"
                + " omitted) SELECT name, $3, $4, $5, $6 FROM applications"
                + " WHERE name = $2 AND cluster = $1"
                + " ON CONFLICT (application) DO UPDATE SET generation = EXCLUDED.generation,"
                + " observed_at = EXCLUDED.observed_at, nodes = EXCLUDED.nodes,"
                + " omitted = EXCLUDED.omitted"
                + " WHERE (application_resource_tree.generation,"
                + " application_resource_tree.observed_at)"
                + " <= (EXCLUDED.generation, EXCLUDED.observed_at)")
        .execute(
            Tuple.tuple()
                .addString(cluster)
                .addString(s.getApplication())
                .addLong(s.getGeneration())
                .addOffsetDateTime(observedAt)
                .addValue(nodes)
                .addInteger(s.getTreeOmitted()))
        .map(rows -> rows.rowCount() > 0);
  }

  public Future<Optional<StoredTree>> get(String application) {
    return pool.preparedQuery(
            "SELECT nodes, omitted, observed_at FROM application_resource_tree"
                + " WHERE application = $1")
        .execute(Tuple.of(application))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row r = rows.iterator().next();
              Object nodes = r.getValue("nodes");
              return Optional.of(
                  new StoredTree(
                      nodes instanceof JsonArray a ? a : new JsonArray(),
                      r.getInteger("omitted"),
                      r.getOffsetDateTime("observed_at")));
            });
  }

  static JsonObject json(ResourceNode n) {
    JsonObject node =
        new JsonObject()
            .put("group", n.getGroup())
            .put("version", n.getVersion())
            .put("kind", n.getKind())
            .put("namespace", n.getNamespace())
            .put("name", n.getName())
            .put("uid", n.getUid())
            .put("parentUids", new JsonArray(n.getParentUidsList()))
            .put("health", health(n.getHealth()))
            .put("managed", n.getManaged());
    if (!n.getHealthMessage().isEmpty()) {
      node.put("healthMessage", n.getHealthMessage());
    }
    if (n.getCreatedAtUnixMs() != 0) {
      node.put("createdAt", Instant.ofEpochMilli(n.getCreatedAtUnixMs()).toString());
    }
    return node;
  }

  static String health(HealthStatus h) {
    return switch (h) {
      case HEALTH_STATUS_HEALTHY -> "Healthy";
      case HEALTH_STATUS_PROGRESSING -> "Progressing";
      case HEALTH_STATUS_DEGRADED -> "Degraded";
      case HEALTH_STATUS_SUSPENDED -> "Suspended";
      case HEALTH_STATUS_MISSING -> "Missing";
      default -> "Unknown";
    };
  }
}
