package dev.flotilla.controlplane.drift;

import dev.flotilla.controlplane.query.KeysetToken;
import java.time.Instant;

/**
 * Filters and page of a drift report; null filters match everything.
 *
 * @param cluster only objects drifted on this cluster
 * @param project only Applications of this project
 * @param application only this Application
 * @param kind only objects of this kind (e.g. {@code ConfigMap}), in any API group
 * @param healed true: only objects whose newest drift self-heal reverted; false: only those still
 *     drifted
 * @param since only objects seen drifting at or after this time
 * @param limit page size, 1 to {@link #MAX_LIMIT}
 * @param offset objects to skip, newest first; ignored when {@code after} is set
 * @param after when set, only objects strictly after this (last seen, id) key: the next page
 */
public record DriftQuery(
    String cluster,
    String project,
    String application,
    String kind,
    Boolean healed,
    Instant since,
    int limit,
    int offset,
    KeysetToken after) {

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

  public DriftQuery(
      String cluster,
      String project,
      String application,
      String kind,
      Boolean healed,
      Instant since,
      int limit,
      int offset) {
    this(cluster, project, application, kind, healed, since, limit, offset, null);
  }

  /** Longest name accepted: a Kubernetes object name (DNS subdomain) is at most 253. */
  public static final int MAX_NAME = 253;

  /**
   * Checks a name filter as every entry point takes it.
   *
   * @throws IllegalArgumentException starting with {@code parameter}, when empty, too long or with
   *     control characters
   */
  public static String requireName(String parameter, String value) {
    if (value.isEmpty() || value.length() > MAX_NAME) {
      throw new IllegalArgumentException(parameter + ": must be 1 to " + MAX_NAME + " characters");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(parameter + ": must not contain control characters");
    }
    return value;
  }

  /** Everything, first page. */
  public static DriftQuery all() {
    return new DriftQuery(null, null, null, null, null, null, DEFAULT_LIMIT, 0);
  }

  public DriftQuery withCluster(String value) {
    return new DriftQuery(value, project, application, kind, healed, since, limit, offset, after);
  }

  public DriftQuery withProject(String value) {
    return new DriftQuery(cluster, value, application, kind, healed, since, limit, offset, after);
  }

  public DriftQuery withApplication(String value) {
    return new DriftQuery(cluster, project, value, kind, healed, since, limit, offset, after);
  }

  public DriftQuery withKind(String value) {
    return new DriftQuery(
        cluster, project, application, value, healed, since, limit, offset, after);
  }

  public DriftQuery withHealed(Boolean value) {
    return new DriftQuery(cluster, project, application, kind, value, since, limit, offset, after);
  }

  public DriftQuery withSince(Instant value) {
    return new DriftQuery(cluster, project, application, kind, healed, value, limit, offset, after);
  }

  public DriftQuery withPage(int newLimit, int newOffset) {
    return new DriftQuery(
        cluster, project, application, kind, healed, since, newLimit, newOffset, after);
  }

  public DriftQuery after(KeysetToken value) {
    return new DriftQuery(cluster, project, application, kind, healed, since, limit, offset, value);
  }

  /**
   * Whether {@code o} passes the filters (the page is not a filter); the same test the database
   * makes, for objects that arrive one at a time.
   */
  public boolean matches(DriftedObject o) {
    return (cluster == null || cluster.equals(o.cluster()))
        && (project == null || project.equals(o.project()))
        && (application == null || application.equals(o.application()))
        && (kind == null || kind.equals(o.kind()))
        && (healed == null || healed == o.healed())
        && (since == null || !o.lastSeen().isBefore(since));
  }
}
