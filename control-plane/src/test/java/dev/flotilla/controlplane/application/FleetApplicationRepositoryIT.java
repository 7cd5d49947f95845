package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The documents of many Applications read a few names at a time: every row asked for comes back
 * exactly once, however the names fall into reads, and names with no row are skipped.
 */
class FleetApplicationRepositoryIT {

  private static final int APPLICATIONS = 23;

  private static final Vertx VERTX = Vertx.vertx();
  private static Pool pool;

  @BeforeAll
  static void seed() throws Exception {
    Database database = TestDatabases.fresh();
    database.migrate();
    pool = database.pool(VERTX);
    get(
        pool.query(
                "INSERT INTO applications (name, project, cluster, document, generation)"
                    + " SELECT 'app-' || i, 'default', 'c' || (i % 3),"
                    + " jsonb_build_object('metadata', jsonb_build_object('name', 'app-' || i)),"
                    + " i FROM generate_series(1, "
                    + APPLICATIONS
                    + ") AS i")
            .execute());
  }

  @AfterAll
  static void close() throws Exception {
    get(VERTX.close());
  }

  @Test
  void everyRowComesBackExactlyOnceAcrossReadsOfAFewNames() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = APPLICATIONS; i >= 1; i--) {
      names.add("app-" + i);
    }
    names.add("missing-1");
    names.add("app-5"); // asked twice: still one row
    FleetApplicationRepository fourAtATime = new FleetApplicationRepository(pool, 4);

    List<StoredApplication> found = get(fourAtATime.named(names));

    assertThat(found.stream().map(StoredApplication::name))
        .hasSize(APPLICATIONS)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(names.subList(0, APPLICATIONS));
    assertThat(found)
        .allSatisfy(
            a -> {
              long i = Long.parseLong(a.name().substring("app-".length()));
              assertThat(a.generation()).isEqualTo(i);
              assertThat(a.cluster()).isEqualTo("c" + (i % 3));
              assertThat(a.document().getJsonObject("metadata").getString("name"))
                  .isEqualTo(a.name());
            });
    assertThat(get(new FleetApplicationRepository(pool).named(names)))
        .as("the same as one read of everything")
        .containsExactlyInAnyOrderElementsOf(found);
  }

  @Test
  void noNamesIsNoRead() throws Exception {
    assertThat(get(new FleetApplicationRepository(pool, 4).named(List.of()))).isEmpty();
  }

  @Test
  void aReadThatFailsFailsTheWhole() throws Exception {
    Pool closed = TestDatabases.fresh().pool(VERTX);
    get(closed.close());

    assertThatThrownBy(() -> get(new FleetApplicationRepository(closed, 4).named(List.of("a"))))
        .isInstanceOf(ExecutionException.class);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
