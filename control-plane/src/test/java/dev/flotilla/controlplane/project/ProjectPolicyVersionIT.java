package dev.flotilla.controlplane.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The version parsed AppProject policies are cached against moves with every change they are built
 * from (an AppProject; a cluster's name or server) and not with the frequent writes that do not
 * matter to them (heartbeats, labels); and a changed project is seen by the next {@link
 * ProjectGate#load}, in this process or any other.
 */
class ProjectPolicyVersionIT {

  private final Vertx vertx = Vertx.vertx();
  private final Database database = TestDatabases.fresh();
  private Pool pool;

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    get(pool.close());
    get(vertx.close());
  }

  private static JsonObject project(String name, String repo) {
    return new JsonObject()
        .put("metadata", new JsonObject().put("name", name))
        .put(
            "spec",
            new JsonObject().put("sourceRepos", new io.vertx.core.json.JsonArray().add(repo)));
  }

  @Test
  void theVersionMovesWithWhatPoliciesAreBuiltFromOnly() throws Exception {
    database.migrate();
    pool = database.pool(vertx);
    ProjectRepository projects = new ProjectRepository(pool);
    ClusterRepository clusters = new ClusterRepository(pool);
    ProjectGate gate = new ProjectGate(projects, clusters);
    // Another replica's gate: it learns of changes only through the store.
    ProjectGate elsewhere = new ProjectGate(projects, clusters);

    long v0 = get(projects.policyVersion());
    get(projects.upsert("team-a", project("team-a", "https://a.example/*")));
    long v1 = get(projects.policyVersion());
    assertThat(v1).isGreaterThan(v0);
    ProjectGate.Policies first = get(elsewhere.load());
    assertThat(get(elsewhere.load())).as("unchanged: cached").isSameAs(first);

    get(clusters.insert("c1", "https://c1.example", Map.of(), Map.of(), "hash"));
    long v2 = get(projects.policyVersion());
    assertThat(v2).isGreaterThan(v1);
    ProjectGate.Policies afterCluster = get(elsewhere.load());
    assertThat(afterCluster).isNotSameAs(first);

    get(clusters.touch("c1"));
    get(clusters.heartbeat("c1", "Healthy", ""));
    get(clusters.updateMetadata("c1", Map.of("env", "dev"), Map.of()));
    assertThat(get(projects.policyVersion())).as("heartbeats do not move it").isEqualTo(v2);
    assertThat(get(elsewhere.load())).isSameAs(afterCluster);

    get(projects.upsert("team-a", project("team-a", "https://b.example/*")));
    get(gate.load());
    ProjectGate.Policies changed = get(elsewhere.load());
    assertThat(changed).isNotSameAs(afterCluster);
    assertThat(changed.resourceRules("team-a", "https://c1.example", "c1").getProject())
        .isEqualTo("team-a");

    get(projects.delete("team-a"));
    assertThat(get(projects.policyVersion())).isGreaterThan(v2 + 1);
  }
}
