package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.access.Caller;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Deployment history per Application, and the sync or rollback requests it is attributed to.
 *
 * <p>An entry is written when an agent reports an Application synced to a revision other than the
 * one its newest entry names. A request made through {@link ApplicationService} and not yet
 * reported is kept as a pending operation; the entry it leads to says who asked and how. Without
 * one, the entry is automated.
 */
public final class ApplicationHistoryRepository {

  /** Argo CD's default for {@code spec.revisionHistoryLimit}. */
  public static final int DEFAULT_LIMIT = 10;

  /** Who automated deployments are attributed to. */
  public static final String CONTROL_PLANE = Caller.SYSTEM.name();

  /**
   * How long a request may wait for the agent's report and still be credited. Past that it most
   * likely changed nothing (already at that revision), and crediting it to a later deployment would
   * name the wrong person.
   */
  static final Duration OPERATION_TTL = Duration.ofMinutes(15);

  private static final String COLUMNS =
      "id, application, revision, generation, deployed_at, operation, initiated_by, repo_url,"
          + " path, rollback_of";

  private final Pool pool;

  public ApplicationHistoryRepository(Pool pool) {
    this.pool = pool;
  }

  /** The Application's entries, oldest first (as {@code argocd app history} lists them). */
  public Future<List<HistoryEntry>> list(String application) {
    return pool.preparedQuery(
            "SELECT " + COLUMNS + " FROM application_history WHERE application = $1 ORDER BY id")
        .execute(Tuple.of(application))
        .map(rows -> rows.stream().map(ApplicationHistoryRepository::entry).toList());
  }

  /** Remembers who asked for a sync or rollback until the agent reports the result. */
  public Future<Void> requestOperation(
      String application, String operation, String revision, String initiatedBy, Long rollbackOf) {
    return pool.preparedQuery(
            "INSERT INTO application_operations (application, operation, revision, initiated_by,"
                + " rollback_of) VALUES ($1, $2, $3, $4, $5)"
                + " ON CONFLICT (application) DO UPDATE SET operation = EXCLUDED.operation,"
                + " revision = EXCLUDED.revision, initiated_by = EXCLUDED.initiated_by,"
                + " rollback_of = EXCLUDED.rollback_of, requested_at = now()")
        .execute(
            Tuple.of(
                application, operation, revision == null ? "" : revision, initiatedBy, rollbackOf))
        .mapEmpty();
  }

  /** Forgets a request that never reached the agent. */
  public Future<Void> cancelOperation(String application, String operation, String revision) {
    return pool.preparedQuery(
            "DELETE FROM application_operations"
                + " WHERE application = $1 AND operation = $2 AND revision = $3")
        .execute(Tuple.of(application, operation, revision == null ? "" : revision))
        .mapEmpty();
  }

  /** A deployment an agent reported, as its stored status describes it. */
  record Deployment(
      String application, String revision, long generation, OffsetDateTime deployedAt) {}

  /**
   * Adds an entry for each reported deployment unless the Application's newest entry already names
   * its revision, then trims to the Application's {@code spec.revisionHistoryLimit}. Runs in the
   * transaction that stored the statuses, whose row locks on them serialise reports of one
   * Application, so two reports of the same deployment cannot both add an entry. At most four
   * statements however many there are; the Applications must be distinct.
   */
  Future<Void> recordDeployments(SqlClient tx, List<Deployment> deployments) {
    if (deployments.isEmpty()) {
      return Future.succeededFuture();
    }
    String[] names = deployments.stream().map(Deployment::application).toArray(String[]::new);
    return tx.preparedQuery(
            "SELECT a.name, a.document -> 'spec' AS spec, (SELECT h.revision FROM"
                + " application_history h WHERE h.application = a.name ORDER BY h.id DESC LIMIT 1)"
                + " AS latest FROM applications a WHERE a.name = ANY($1)")
        .execute(Tuple.tuple().addArrayOfString(names))
        .compose(
            rows -> {
              Map<String, Row> current = new HashMap<>();
              rows.forEach(r -> current.put(r.getString("name"), r));
              List<Deployment> added = new ArrayList<>();
              List<JsonObject> specs = new ArrayList<>();
              for (Deployment d : deployments) {
                Row row = current.get(d.application());
                if (row != null && !d.revision().equals(row.getString("latest"))) {
                  added.add(d);
                  specs.add(row.getValue("spec") instanceof JsonObject o ? o : new JsonObject());
                }
              }
              return added.isEmpty() ? Future.succeededFuture() : insert(tx, added, specs);
            });
  }

  /** Entries for {@code added}, each credited to its pending request if any; then the trims. */
  private Future<Void> insert(SqlClient tx, List<Deployment> added, List<JsonObject> specs) {
    List<Tuple> requests = new ArrayList<>(added.size());
    for (Deployment d : added) {
      requests.add(Tuple.of(d.application(), d.revision(), (int) OPERATION_TTL.toSeconds()));
    }
    return tx.preparedQuery(
            "DELETE FROM application_operations WHERE application = $1"
                + " AND (revision = '' OR revision = $2) AND requested_at > now() - $3::int * interval '1 second'"
                + " RETURNING operation, initiated_by, rollback_of")
        .executeBatch(requests)
        .compose(
            ops -> {
              List<Tuple> entries = new ArrayList<>(added.size());
              List<Tuple> trims = new ArrayList<>(added.size());
              RowSet<Row> opRows = ops;
              for (int i = 0; i < added.size(); i++, opRows = opRows.next()) {
                Deployment d = added.get(i);
                Row op = opRows.size() == 0 ? null : opRows.iterator().next();
                JsonObject source =
                    specs.get(i).getValue("source") instanceof JsonObject o ? o : new JsonObject();
                entries.add(
                    Tuple.tuple()
                        .addString(d.application())
                        .addString(d.revision())
                        .addLong(d.generation())
                        .addOffsetDateTime(d.deployedAt())
                        .addString(op == null ? HistoryEntry.AUTOMATED : op.getString("operation"))
                        .addString(op == null ? CONTROL_PLANE : op.getString("initiated_by"))
                        .addString(text(source.getValue("repoURL")))
                        .addString(text(source.getValue("path")))
                        .addLong(op == null ? null : op.getLong("rollback_of")));
                trims.add(Tuple.of(d.application(), limit(specs.get(i))));
              }
              return tx.preparedQuery(
                      "INSERT INTO application_history (application, revision, generation,"
                          + " deployed_at, operation, initiated_by, repo_url, path, rollback_of)"
                          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                  .executeBatch(entries)
                  .compose(v -> trim(tx, trims));
            });
  }

  private static Future<Void> trim(SqlClient tx, List<Tuple> applicationsAndLimits) {
    return tx.preparedQuery(
            "DELETE FROM application_history WHERE application = $1 AND id < (SELECT min(id) FROM"
                + " (SELECT id FROM application_history WHERE application = $1"
                + " ORDER BY id DESC LIMIT $2) newest)")
        .executeBatch(applicationsAndLimits)
        .mapEmpty();
  }

  /**
   * {@code spec.revisionHistoryLimit}, at least 1: the newest entry is what tells a new deployment
   * from a repeated report, and what rollback without an id counts back from.
   */
  static int limit(JsonObject spec) {
    Object v = spec.getValue("revisionHistoryLimit");
    long n;
    if (v instanceof Number number) {
      n = number.longValue();
    } else if (v instanceof String s) {
      try {
        n = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        n = DEFAULT_LIMIT;
      }
    } else {
      n = DEFAULT_LIMIT;
    }
    return (int) Math.max(1, Math.min(n, 10_000));
  }

  private static HistoryEntry entry(Row r) {
    return new HistoryEntry(
        r.getLong("id"),
        r.getString("application"),
        r.getString("revision"),
        r.getLong("generation"),
        r.getOffsetDateTime("deployed_at"),
        r.getString("operation"),
        r.getString("initiated_by"),
        r.getString("repo_url"),
        r.getString("path"),
        r.getLong("rollback_of"));
  }

  private static String text(Object v) {
    return v instanceof String s ? s : "";
  }
}
