package dev.flotilla.controlplane.application;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads of the Applications of many clusters at once, for the resync of many agents after one
 * change (a commit moving Applications on every cluster): one query each instead of one per agent.
 */
public final class FleetApplicationRepository {

  /**
   * Names per read of documents: at 1,000 clusters a commit can move 10,000 Applications, whose
   * documents one query would decode at once.
   */
  static final int NAMES_PER_READ = 1000;

  private final Pool pool;
  private final int namesPerRead;

  public FleetApplicationRepository(Pool pool) {
    this(pool, NAMES_PER_READ);
  }

  FleetApplicationRepository(Pool pool, int namesPerRead) {
    this.pool = pool;
    this.namesPerRead = namesPerRead;
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

  /**
   * The Applications of these names, wherever their destination now is: read {@link
   * #NAMES_PER_READ} names at a time, each read issued once the one before completed, so that no
   * read decodes an unbounded result and one resync holds one connection at a time.
   */
  public Future<List<StoredApplication>> named(Collection<String> names) {
    List<StoredApplication> found = new ArrayList<>();
    Future<Void> reads = Future.succeededFuture();
    for (List<String> chunk : chunks(names, namesPerRead)) {
      reads = reads.compose(ignored -> namedAtOnce(chunk).map(found::addAll).<Void>mapEmpty());
    }
    return reads.map(ignored -> List.copyOf(found));
  }

  /** These names, each once, in runs of at most {@code size}. */
  static List<List<String>> chunks(Collection<String> names, int size) {
    List<String> distinct = List.copyOf(new LinkedHashSet<>(names));
    List<List<String>> chunks = new ArrayList<>();
    for (int from = 0; from < distinct.size(); from += size) {
      chunks.add(distinct.subList(from, Math.min(distinct.size(), from + size)));
    }
    return chunks;
  }

  private Future<List<StoredApplication>> namedAtOnce(List<String> names) {
    return pool.preparedQuery(
            "SELECT " + ApplicationRepository.COLUMNS + " FROM applications WHERE name = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(names.toArray(String[]::new)))
        .map(rows -> rows.stream().map(ApplicationRepository::toApplication).toList());
  }
}
