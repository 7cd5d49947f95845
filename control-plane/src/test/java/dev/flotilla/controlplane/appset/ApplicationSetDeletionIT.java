package dev.flotilla.controlplane.appset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting an ApplicationSet with thousands of Applications: the request is answered at once, the
 * Applications go in the background with visible progress while the API serves other requests, and
 * a restart resumes an unfinished deletion. One row is held locked by the test to stop the deletion
 * at its last batch, so "still running" is a state the test controls, not a race.
 */
class ApplicationSetDeletionIT {

  private static final int APPLICATIONS = 3000;

  @TempDir Path home;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Vertx vertx = Vertx.vertx();
  private ControlPlane cp;

  @AfterEach
  void stop() throws Exception {
    if (cp != null) {
      cp.close();
    }
    get(vertx.close());
  }

  private ControlPlane start(Database database) throws Exception {
    return ControlPlane.start(
        ControlPlaneConfig.defaults(home)
            .withListen("127.0.0.1", 0, 0)
            .withGitPollInterval(Duration.ofHours(1)),
        database);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** An ApplicationSet "big" that owns {@link #APPLICATIONS} Applications, big-0 to big-2999. */
  private void bigApplicationSet() throws Exception {
    get(
        cp.controller()
            .apply(
                """
                apiVersion: argoproj.io/v1alpha1
                kind: ApplicationSet
                metadata:
                  name: big
                spec:
                  generators:
                    - list:
                        elements: [{n: "0"}]
                  template:
                    metadata:
                      name: 'big-{{n}}'
                    spec:
                      project: default
                      source: {repoURL: '', path: apps}
                      destination: {name: nowhere, namespace: apps}
                """));
    get(
        cp.applications()
            .pool()
            .query(
                "INSERT INTO applications (name, application_set, project, document, generation)"
                    + " SELECT 'big-' || i, 'big', 'default', '{}'::jsonb,"
                    + " nextval('assignment_generation') FROM generate_series(1, "
                    + (APPLICATIONS - 1)
                    + ") i ON CONFLICT (name) DO NOTHING")
            .execute());
    assertThat(count()).isEqualTo(APPLICATIONS);
  }

  private int count() throws Exception {
    return get(cp.applications().countByApplicationSet("big"));
  }

  /** Locks the Application the deletion takes last ('big-999' sorts after 'big-3000'). */
  private Transaction lockLastBatch(SqlConnection connection) throws Exception {
    Transaction tx = get(connection.begin());
    get(
        connection
            .query("SELECT name FROM applications WHERE name = 'big-999' FOR UPDATE")
            .execute());
    return tx;
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .header("Authorization", "Bearer " + cp.adminToken().value())
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject deletionShown() throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/applicationsets/big");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body()).getJsonObject("status").getJsonObject("deletion");
  }

  /** A client of its own, which outlives the control plane it watches. */
  private Pool otherClient(Database database) {
    return PgBuilder.pool().connectingTo(database.connectOptions()).using(vertx).build();
  }

  @Test
  void theDeleteIsAnsweredAtOnceAndTheApplicationsGoInTheBackground() throws Exception {
    Database database = TestDatabases.fresh();
    cp = start(database);
    bigApplicationSet();
    Pool other = otherClient(database);
    SqlConnection connection = get(other.getConnection());
    Transaction lock = lockLastBatch(connection);

    HttpResponse<String> delete = send("DELETE", "/api/v1/applicationsets/big");
    assertThat(delete.statusCode()).as(delete.body()).isEqualTo(202);
    assertThat(delete.headers().firstValue("Location")).hasValue("/api/v1/applicationsets/big");
    JsonObject accepted = new JsonObject(delete.body()).getJsonObject("deletion");
    assertThat(accepted.getInteger("applications")).isEqualTo(APPLICATIONS);
    assertThat(accepted.getBoolean("deleteApplications")).isTrue();

    // The deletion advances batch by batch and stops at the locked row; progress is visible.
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(deletionShown().getInteger("remaining"))
                    .isPositive()
                    .isLessThanOrEqualTo(ApplicationSetDeletion.BATCH));
    assertThat(count()).isPositive();
    // Meanwhile the API serves everybody else.
    assertThat(send("GET", "/api/v1/applications?limit=10").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/v1/applicationsets").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
    // Applying the set again while it is being deleted is refused, not silently lost.
    assertThat(
            get(
                cp.controller()
                    .apply(
                        """
                            apiVersion: argoproj.io/v1alpha1
                            kind: ApplicationSet
                            metadata: {name: big}
                            spec:
                              generators: [{list: {elements: [{n: "0"}]}}]
                              template:
                                metadata: {name: 'big-{{n}}'}
                                spec:
                                  project: default
                                  source: {repoURL: '', path: apps}
                                  destination: {name: nowhere, namespace: apps}
                            """)
                    .map(ok -> "applied")
                    .otherwise(Throwable::getMessage)))
        .isEqualTo(
            "applicationset 'big' is being deleted; apply it again once the deletion has"
                + " finished");
    // Asking again changes nothing.
    assertThat(send("DELETE", "/api/v1/applicationsets/big").statusCode()).isEqualTo(202);

    get(lock.rollback());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> send("GET", "/api/v1/applicationsets/big").statusCode() == 404);
    assertThat(count()).isZero();
    connection.close();
    other.close();
  }

  @Test
  void aRestartResumesAnUnfinishedDeletion() throws Exception {
    Database database = TestDatabases.fresh();
    cp = start(database);
    bigApplicationSet();
    cp.close();
    cp = null;
    // What Postgres holds when the control plane died after accepting a deletion: the set marked,
    // most of its Applications still there.
    Pool other = otherClient(database);
    get(
        other
            .query(
                "UPDATE application_sets SET deletion = '{\"requestedAt\": \"2026-01-01T00:00:00Z\","
                    + " \"deleteApplications\": true, \"applications\": 3000, \"remaining\": 3000}'"
                    + " WHERE name = 'big'")
            .execute());
    get(other.close());

    cp = start(Database.of(database.connectOptions()));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> send("GET", "/api/v1/applicationsets/big").statusCode() == 404);
    assertThat(count()).isZero();
  }
}
