package dev.flotilla.controlplane.application;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads of the Applications of many clusters at once, for the resync of many agents after one
 * change (a commit moving Applications on every cluster): one query each instead of one per agent.
 */
public final class FleetApplicationRepository {

  private final Pool pool;

  public FleetApplicationRepository(Pool pool) {
    this.pool = pool;
  }

  /** By cluster, the generation of each of its Applications; clusters with none are absent. */
  public Future<Map<String, Map<String, Long>>> generations(Collection<String> clusters) {
    return pool.preparedQuery(
            "SELECT cluster, name, generation FROM applications WHERE cluster = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(clusters.toArray(String[]::new)))
        .map(
            rows -> {
              Map<String, Map<String, Long>> byCluster = new HashMap<>();
              rows.forEach(
                  r ->
                      byCluster
                          .computeIfAbsent(r.getString(0), c -> new HashMap<>())
                          .put(r.getString(1), r.getLong(2)));
              return byCluster;
            });
  }

  /** The Applications of these names, wherever their destination now is. */
  public Future<List<StoredApplication>> named(Collection<String> names) {
    if (names.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return pool.preparedQuery(
            "SELECT " + ApplicationRepository.COLUMNS + " FROM applications WHERE name = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(names.toArray(String[]::new)))
        .map(rows -> rows.stream().map(ApplicationRepository::toApplication).toList());
  }
}
