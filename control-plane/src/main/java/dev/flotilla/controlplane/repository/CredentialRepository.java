package dev.flotilla.controlplane.repository;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** Repository credentials in Postgres, secrets sealed (see {@code V12__repositories.sql}). */
public final class CredentialRepository {

  private static final String PUBLIC_COLUMNS =
      "url, template, username, password_sealed IS NOT NULL, ssh_private_key_sealed IS NOT NULL,"
          + " insecure_ignore_host_key, created_at, last_success_at, last_error, last_error_at";

  /** A row with its secrets still sealed. */
  record SealedRow(
      String url,
      boolean template,
      String username,
      String passwordSealed,
      String sshPrivateKeySealed,
      boolean insecureIgnoreHostKey) {}

  private final Pool pool;

  public CredentialRepository(Pool pool) {
    this.pool = pool;
  }

  /** Adds or replaces the credentials for {@code row.url()}; the fetch history starts afresh. */
  Future<Void> upsert(SealedRow row) {
    return pool.preparedQuery(
            "INSERT INTO repositories (url, template, username, password_sealed,"
                + " ssh_private_key_sealed, insecure_ignore_host_key)"
                + " VALUES ($1, $2, $3, $4, $5, $6)"
                + " ON CONFLICT (url) DO UPDATE SET template = $2, username = $3,"
                + " password_sealed = $4, ssh_private_key_sealed = $5,"
                + " insecure_ignore_host_key = $6, last_success_at = NULL, last_error = NULL,"
                + " last_error_at = NULL")
        .execute(
            Tuple.of(
                row.url(),
                row.template(),
                row.username(),
                row.passwordSealed(),
                row.sshPrivateKeySealed(),
                row.insecureIgnoreHostKey()))
        .mapEmpty();
  }

  public Future<List<RepositoryCredential>> list() {
    return pool.query("SELECT " + PUBLIC_COLUMNS + " FROM repositories ORDER BY url")
        .execute()
        .map(rows -> rows.stream().map(CredentialRepository::toCredential).toList());
  }

  public Future<Optional<RepositoryCredential>> get(String url) {
    return pool.preparedQuery("SELECT " + PUBLIC_COLUMNS + " FROM repositories WHERE url = $1")
        .execute(Tuple.of(url))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(toCredential(rows.iterator().next())));
  }

  /** Every row with its sealed secrets, for the credentials the Git layer uses. */
  Future<List<SealedRow>> sealed() {
    return pool.query(
            "SELECT url, template, username, password_sealed, ssh_private_key_sealed,"
                + " insecure_ignore_host_key FROM repositories")
        .execute()
        .map(
            rows ->
                rows.stream()
                    .map(
                        r ->
                            new SealedRow(
                                r.getString(0),
                                r.getBoolean(1),
                                r.getString(2),
                                r.getString(3),
                                r.getString(4),
                                r.getBoolean(5)))
                    .toList());
  }

  /**
   * @return whether a row was deleted
   */
  Future<Boolean> delete(String url) {
    return pool.preparedQuery("DELETE FROM repositories WHERE url = $1")
        .execute(Tuple.of(url))
        .map(rows -> rows.rowCount() > 0);
  }

  /**
   * Records how a fetch with these credentials went ({@code error} null: it worked). The error is
   * already free of secrets: the Git layer's messages never carry them.
   */
  public Future<Void> recordFetch(String url, String error, Instant at) {
    OffsetDateTime when = at.atOffset(ZoneOffset.UTC);
    return pool.preparedQuery(
            error == null
                ? "UPDATE repositories SET last_success_at = $2 WHERE url = $1"
                : "UPDATE repositories SET last_error = $3, last_error_at = $2 WHERE url = $1")
        .execute(error == null ? Tuple.of(url, when) : Tuple.of(url, when, error))
        .mapEmpty();
  }

  private static RepositoryCredential toCredential(Row r) {
    return new RepositoryCredential(
        r.getString(0),
        r.getBoolean(1),
        r.getString(2),
        r.getBoolean(3),
        r.getBoolean(4),
        r.getBoolean(5),
        r.getOffsetDateTime(6),
        r.getOffsetDateTime(7),
        r.getString(8),
        r.getOffsetDateTime(9));
  }
}
