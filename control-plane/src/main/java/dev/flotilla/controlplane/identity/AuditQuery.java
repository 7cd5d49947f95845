package dev.flotilla.controlplane.identity;

import java.time.Instant;

/**
 * Which audit lines to return, newest first. Null fields do not filter. {@code from} is inclusive,
 * {@code to} exclusive.
 */
public record AuditQuery(
    String actor, String objectKind, String objectName, Instant from, Instant to, int limit) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public AuditQuery {
    limit = limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
  }

  public static AuditQuery all() {
    return new AuditQuery(null, null, null, null, null, DEFAULT_LIMIT);
  }

  public AuditQuery byActor(String value) {
    return new AuditQuery(value, objectKind, objectName, from, to, limit);
  }

  public AuditQuery byObject(String kind, String name) {
    return new AuditQuery(actor, kind, name, from, to, limit);
  }

  public AuditQuery between(Instant fromInclusive, Instant toExclusive) {
    return new AuditQuery(actor, objectKind, objectName, fromInclusive, toExclusive, limit);
  }

  public AuditQuery limit(int value) {
    return new AuditQuery(actor, objectKind, objectName, from, to, value);
  }
}
