package dev.flotilla.controlplane.identity;

import dev.flotilla.core.rbac.PolicySet;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** The global RBAC policy (Argo CD CSV lines), one document replaced whole. */
public final class PolicyRepository {

  private static final String COLUMNS = "policy, updated_at, updated_by, default_role";

  private final Pool pool;

  public PolicyRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<StoredPolicy> get() {
    return pool.query("SELECT " + COLUMNS + " FROM rbac_policy WHERE id = 1")
        .execute()
        .map(rows -> toPolicy(rows.iterator().next()));
  }

  /**
   * Replaces the policy after parsing it. A policy that does not parse fails the future with a
   * {@link dev.flotilla.core.rbac.PolicyParseException} naming the line, and the stored policy
   * stays as it was. The text is stored as given (comments and layout kept).
   */
  public Future<StoredPolicy> put(String text, String actor) {
    return put(text, null, actor);
  }

  /**
   * Replaces the policy and, unless {@code defaultRole} is null, the default role: empty for none,
   * else a role name such as {@code role:readonly}.
   */
  public Future<StoredPolicy> put(String text, String defaultRole, String actor) {
    try {
      if (defaultRole != null
          && !defaultRole.isEmpty()
          && !defaultRole.matches("role:[A-Za-z0-9][-A-Za-z0-9_.]*")) {
        throw new IllegalArgumentException(
            "defaultRole: must be empty or a role such as 'role:readonly', found '"
                + defaultRole
                + "'");
      }
      if (text == null) {
        throw new IllegalArgumentException("policy: is missing");
      }
      PolicySet.parse(text);
      Names.requireText("actor", actor);
      if (text.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("policy: contains a NUL character");
      }
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return pool.preparedQuery(
            "UPDATE rbac_policy SET policy = $1, updated_by = $2, updated_at = now(),"
                + " default_role = COALESCE($3, default_role)"
                + " WHERE id = 1 RETURNING "
                + COLUMNS)
        .execute(Tuple.of(text, actor == null ? "" : actor, defaultRole))
        .map(rows -> toPolicy(rows.iterator().next()));
  }

  private static StoredPolicy toPolicy(Row row) {
    return new StoredPolicy(
        row.getString("policy"),
        row.getOffsetDateTime("updated_at"),
        row.getString("updated_by"),
        row.getString("default_role"));
  }
}
