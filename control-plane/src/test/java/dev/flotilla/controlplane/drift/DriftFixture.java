package dev.flotilla.controlplane.drift;

import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.FieldDiff;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/** A migrated database of its own, a Vert.x and the repository under test. */
final class DriftFixture implements AutoCloseable {

  /** A fixed origin so tests can name times as small offsets. */
  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  /** What the repository's clock says, a day after {@link #T0}. */
  static final Instant NOW = T0.plusSeconds(24 * 3600);

  final Vertx vertx = Vertx.vertx();
  final Database database;
  final Pool pool;
  final DriftRepository drift;

  DriftFixture() {
    this(TestDatabases.fresh());
  }

  DriftFixture(Database database) {
    this.database = database;
    database.migrate();
    pool = database.pool(vertx);
    drift = new DriftRepository(pool, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** An Application row, as the ApplicationSet controller would store it. */
  void app(String name, String project, String cluster) throws Exception {
    get(
        pool.preparedQuery(
                "INSERT INTO applications (name, project, cluster, document, generation)"
                    + " VALUES ($1, $2, $3, '{}'::jsonb, 1)")
            .execute(Tuple.of(name, project, cluster)));
  }

  static Instant at(int minutes) {
    return T0.plusSeconds(60L * minutes);
  }

  /** What an agent sends: one drift of one object; healedMinute < 0 means not reverted. */
  static DriftEvent event(
      String app,
      String kind,
      String name,
      int detectedMinute,
      int healedMinute,
      String path,
      String desired,
      String live) {
    return DriftEvent.newBuilder()
        .setApplication(app)
        .setResource(
            ResourceStatus.newBuilder()
                .setGroup(kind.equals("Deployment") ? "apps" : "")
                .setVersion("v1")
                .setKind(kind)
                .setNamespace("ns")
                .setName(name)
                .setMessage("edited"))
        .addFields(FieldDiff.newBuilder().setPath(path).setDesired(desired).setLive(live))
        .setDetectedAtUnixMs(at(detectedMinute).toEpochMilli())
        .setHealedAtUnixMs(healedMinute < 0 ? 0 : at(healedMinute).toEpochMilli())
        .build();
  }

  boolean record(String cluster, DriftEvent e) throws Exception {
    return get(drift.record(cluster, e)).isPresent();
  }

  @Override
  public void close() throws Exception {
    get(pool.close());
    get(vertx.close());
  }
}
