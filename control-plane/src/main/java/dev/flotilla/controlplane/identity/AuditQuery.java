package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.query.KeysetToken;
import java.time.Instant;

/**
 * Which audit lines to return, newest first. Null fields do not filter. {@code from} is inclusive,
 * {@code to} exclusive.
 *
 * @param after when set, only lines strictly after this key in the (at desc, id desc) order: the
 *     next page
 */
public record AuditQuery(
    String actor,
    String objectKind,
    String objectName,
    Instant from,
    Instant to,
    int limit,
    KeysetToken after) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public AuditQuery {
    limit = limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
  }

  public AuditQuery(
      String actor, String objectKind, String objectName, Instant from, Instant to, int limit) {
    this(actor, objectKind, objectName, from, to, limit, null);
  }

  public static AuditQuery all() {
    return new AuditQuery(null, null, null, null, null, DEFAULT_LIMIT);
  }

  public AuditQuery byActor(String value) {
    return new AuditQuery(value, objectKind, objectName, from, to, limit, after);
  }

  public AuditQuery byObject(String kind, String name) {
    return new AuditQuery(actor, kind, name, from, to, limit, after);
  }

  public AuditQuery between(Instant fromInclusive, Instant toExclusive) {
    return new AuditQuery(actor, objectKind, objectName, fromInclusive, toExclusive, limit, after);
  }

  public AuditQuery limit(int value) {
    return new AuditQuery(actor, objectKind, objectName, from, to, value, after);
  }

  public AuditQuery after(KeysetToken value) {
    return new AuditQuery(actor, objectKind, objectName, from, to, limit, value);
  }
}
