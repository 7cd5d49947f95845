package dev.flotilla.controlplane.drift;

import java.time.Instant;

/**
 * Filters and page of a drift report; null filters match everything.
 *
 * @param cluster only objects drifted on this cluster
 * @param project only Applications of this project
 * @param application only this Application
 * @param healed true: only objects whose newest drift self-heal reverted; false: only those still
 *     drifted
 * @param since only objects seen drifting at or after this time
 * @param limit page size, 1 to {@link #MAX_LIMIT}
 * @param offset objects to skip, newest first
 */
public record DriftQuery(
    String cluster,
    String project,
    String application,
    Boolean healed,
    Instant since,
    int limit,
    int offset) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;
  public static final int MAX_OFFSET = 1_000_000;

  public DriftQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit: must be between 1 and " + MAX_LIMIT);
    }
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new IllegalArgumentException("offset: must be between 0 and " + MAX_OFFSET);
    }
  }

  /** Everything, first page. */
  public static DriftQuery all() {
    return new DriftQuery(null, null, null, null, null, DEFAULT_LIMIT, 0);
  }

  public DriftQuery withCluster(String value) {
    return new DriftQuery(value, project, application, healed, since, limit, offset);
  }

  public DriftQuery withProject(String value) {
    return new DriftQuery(cluster, value, application, healed, since, limit, offset);
  }

  public DriftQuery withApplication(String value) {
    return new DriftQuery(cluster, project, value, healed, since, limit, offset);
  }

  public DriftQuery withHealed(Boolean value) {
    return new DriftQuery(cluster, project, application, value, since, limit, offset);
  }

  public DriftQuery withSince(Instant value) {
    return new DriftQuery(cluster, project, application, healed, value, limit, offset);
  }

  public DriftQuery withPage(int newLimit, int newOffset) {
    return new DriftQuery(cluster, project, application, healed, since, newLimit, newOffset);
  }
}
