package dev.flotilla.controlplane.ui;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** The {@code ui_sessions} table: hashes only, shared by every replica. */
public final class UiSessionRepository {

  private final Pool pool;

  public UiSessionRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> insert(UiSession session, Instant now) {
    return pool.preparedQuery(
            "INSERT INTO ui_sessions (id_hash, token_hash, csrf, created_at, expires_at)"
                + " VALUES ($1, $2, $3, $4, $5)")
        .execute(
            Tuple.of(
                session.idHash(),
                session.tokenHash(),
                session.csrf(),
                utc(now),
                utc(session.expiresAt())))
        .mapEmpty();
  }

  /** The live session with this id hash; empty when unknown or expired. */
  public Future<Optional<UiSession>> find(String idHash, Instant now) {
    return pool.preparedQuery(
            "SELECT id_hash, token_hash, csrf, expires_at FROM ui_sessions"
                + " WHERE id_hash = $1 AND expires_at > $2")
        .execute(Tuple.of(idHash, utc(now)))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.<UiSession>empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new UiSession(
                      row.getString("id_hash"),
                      row.getString("token_hash"),
                      row.getString("csrf"),
                      row.getOffsetDateTime("expires_at").toInstant()));
            });
  }

  public Future<Void> delete(String idHash) {
    return pool.preparedQuery("DELETE FROM ui_sessions WHERE id_hash = $1")
        .execute(Tuple.of(idHash))
        .mapEmpty();
  }

  /** Forgets expired sessions; returns how many. */
  public Future<Integer> deleteExpired(Instant now) {
    return pool.preparedQuery("DELETE FROM ui_sessions WHERE expires_at <= $1")
        .execute(Tuple.of(utc(now)))
        .map(rows -> rows.rowCount());
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
