package dev.flotilla.controlplane.identity;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The audit log in Postgres. Recording must not fail because of what a hostile caller sent, so
 * instead of refusing, it replaces NUL characters (which Postgres cannot store) with U+FFFD,
 * shortens over-long fields and drops over-large details, saying so in the details.
 */
public final class AuditRepository {

  static final int MAX_FIELD = 1024;
  static final int MAX_DETAILS = 64 * 1024;

  private static final String COLUMNS =
      "id, at, actor, action, object_kind, object_name, result, details";

  private final Pool pool;

  public AuditRepository(Pool pool) {
    this.pool = pool;
  }

  /** Stores {@code entry} stamped with the database's clock; returns its id. */
  public Future<Long> record(AuditEntry entry) {
    JsonObject details = (JsonObject) clean(entry.details());
    int size = details.encode().length();
    if (size > MAX_DETAILS) {
      details = new JsonObject().put("truncated", true).put("size", size);
    }
    return pool.preparedQuery(
            "INSERT INTO audit_log (actor, action, object_kind, object_name, result, details)"
                + " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .execute(
            Tuple.of(
                field(entry.actor()),
                field(entry.action()),
                field(entry.objectKind()),
                field(entry.objectName()),
                entry.result().column(),
                details))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * Deletes entries older than {@code retention} (by the database's clock); returns how many went.
   */
  public Future<Integer> purgeOlderThan(Duration retention) {
    return pool.preparedQuery("DELETE FROM audit_log WHERE at < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) retention.toSeconds()))
        .map(rows -> rows.rowCount());
  }

  /**
   * The lines matching {@code query}, newest first by (at, id), at most {@code query.limit()},
   * after {@code query.after()} when set.
   */
  public Future<List<AuditRecord>> query(AuditQuery query) {
    // One fixed statement whatever the filters: a null parameter switches its filter off.
    return pool.preparedQuery(
            "SELECT "
                + COLUMNS
                + " FROM audit_log"
                + " WHERE ($1::text IS NULL OR actor = $1)"
                + " AND ($2::text IS NULL OR object_kind = $2)"
                + " AND ($3::text IS NULL OR object_name = $3)"
                + " AND ($4::timestamptz IS NULL OR at >= $4)"
                + " AND ($5::timestamptz IS NULL OR at < $5)"
                + " AND ($7::timestamptz IS NULL OR (at, id) < ($7::timestamptz, $8::bigint))"
                + " ORDER BY at DESC, id DESC LIMIT $6")
        .execute(
            Tuple.tuple()
                .addValue(query.actor())
                .addValue(query.objectKind())
                .addValue(query.objectName())
                .addValue(utc(query.from()))
                .addValue(utc(query.to()))
                .addValue(query.limit())
                .addValue(query.after() == null ? null : utc(query.after().at()))
                .addValue(query.after() == null ? null : query.after().id()))
        .map(rows -> rows.stream().map(AuditRepository::toRecord).toList());
  }

  private static AuditRecord toRecord(Row row) {
    return new AuditRecord(
        row.getLong("id"),
        row.getOffsetDateTime("at"),
        row.getString("actor"),
        row.getString("action"),
        row.getString("object_kind"),
        row.getString("object_name"),
        AuditResult.of(row.getString("result")),
        (JsonObject) row.getValue("details"));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static String field(String value) {
    String cleaned = value.replace('\0', '\uFFFD');
    return cleaned.length() <= MAX_FIELD ? cleaned : cleaned.substring(0, MAX_FIELD) + "…";
  }

  /** A copy of a JSON value with NUL characters replaced in every key and string. */
  private static Object clean(Object value) {
    if (value instanceof String s) {
      return s.replace('\0', '\uFFFD');
    }
    if (value instanceof JsonObject o) {
      JsonObject out = new JsonObject();
      for (Map.Entry<String, Object> e : o) {
        out.put(e.getKey().replace('\0', '\uFFFD'), clean(e.getValue()));
      }
      return out;
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(clean(v)));
      return out;
    }
    return value;
  }
}
