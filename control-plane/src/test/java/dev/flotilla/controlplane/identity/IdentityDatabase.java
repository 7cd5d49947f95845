package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A migrated database of a test's own, with a pool on a Vert.x of its own. */
final class IdentityDatabase implements AutoCloseable {

  final Database database;
  final Vertx vertx;
  final Pool pool;

  IdentityDatabase() {
    database = TestDatabases.fresh();
    database.migrate();
    vertx = Vertx.vertx();
    pool = database.pool(vertx);
  }

  /** The result of {@code future}, waiting at most 30 s; a failure is thrown as it was. */
  static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The failure of {@code future}, which must fail. */
  static Throwable failure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the future to fail, it succeeded");
  }

  /** Runs raw SQL for setting up or inspecting what the repositories cannot reach. */
  io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> sql(String sql, Object... params)
      throws Exception {
    return await(pool.preparedQuery(sql).execute(io.vertx.sqlclient.Tuple.from(params)));
  }

  @Override
  public void close() throws Exception {
    database.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
