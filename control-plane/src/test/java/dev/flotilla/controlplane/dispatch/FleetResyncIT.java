package dev.flotilla.controlplane.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.FleetApplicationRepository;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.controlplane.replica.ReplicaEvent;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Delete;
import dev.flotilla.proto.agent.v1.Hello;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change to the Applications of many clusters reaches every connected agent (upserts, deletes,
 * held-back Applications left alone, project policies honoured) with a number of queries that does
 * not grow with the number of agents. Counted with pg_stat_statements, on a PostgreSQL of this
 * test's own (the shared test one does not load it).
 */
class FleetResyncIT {

  private static final int AGENTS = 12;

  /** The per-agent reads a resync made before: none may run in a resync of many. */
  private static final String GENERATIONS_OF_ONE =
      "SELECT name, generation FROM applications WHERE cluster = $1";

  private static final String DOCUMENTS_OF_ONE = "WHERE cluster = $1 AND name = ANY($2)";
  private static final String GENERATIONS_OF_MANY = "WHERE cluster = ANY($1)";
  private static final String DOCUMENTS_OF_MANY =
      "delete_resources_on_removal FROM applications WHERE name = ANY($1)";
  private static final String POLICY_VERSION = "SELECT version FROM project_policy_version";

  private static EmbeddedPostgres postgres;

  @TempDir Path home;
  private ControlPlane cp;
  private Connection stats;
  private final List<Agent> agents = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("shared_preload_libraries", "pg_stat_statements")
            .start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void start() throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE fleet");
    }
    stats = postgres.getDatabase("postgres", "fleet").getConnection();
    try (Statement s = stats.createStatement()) {
      s.execute("CREATE EXTENSION pg_stat_statements");
    }
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            Database.of(
                new PgConnectOptions()
                    .setHost("localhost")
                    .setPort(postgres.getPort())
                    .setUser("postgres")
                    .setPassword("postgres")
                    .setDatabase("fleet")));
    get(cp.projects().upsert("team", project("team", "https://example.invalid/*")));
    get(cp.projects().upsert("legacy", project("legacy", "https://example.invalid/*")));
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      String token = JoinTokens.newToken();
      tokens.add(token);
      get(
          cp.clusters()
              .insert(
                  cluster(i),
                  "https://" + cluster(i) + ".example",
                  Map.of(),
                  Map.of(),
                  JoinTokens.hash(token)));
    }
    get(cp.controller().apply(appSet("web", "team", "{{app}}", true)));
    get(cp.controller().apply(appSet("old", "legacy", "old", false)));
    ApplicationEvents events = new ApplicationEvents();
    AgentService service =
        new AgentService(
            cp.clusters(),
            cp.applications(),
            cp.dispatcher(),
            cp.drift(),
            cp.driftFeed(),
            new ProjectGate(cp.projects(), cp.clusters()),
            events,
            new AgentLiveness(
                cp.vertx(), Clock.systemUTC(), cp.clusters(), cp.dispatcher(), events),
            Clock.systemUTC());
    for (int i = 0; i < AGENTS; i++) {
      Agent agent = new Agent();
      agents.add(agent);
      service
          .connect(agent)
          .onNext(
              AgentMessage.newBuilder()
                  .setHello(
                      Hello.newBuilder()
                          .setCluster(cluster(i))
                          .setAgentVersion("test")
                          .setToken(tokens.get(i)))
                  .build());
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              for (int i = 0; i < AGENTS; i++) {
                String c = cluster(i);
                assertThat(agents.get(i).held.keySet())
                    .as(c)
                    .containsExactlyInAnyOrder("a-" + c, "b-" + c, "old-" + c);
              }
            });
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
    stats.close();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE fleet WITH (FORCE)");
    }
  }

  @Test
  void aChangeOnEveryClusterReachesEveryAgentWithQueriesThatDoNotGrowPerAgent() throws Exception {
    // A project narrowed (on another replica): its Applications are held back everywhere.
    resetStatistics();
    get(cp.projects().upsert("legacy", project("legacy", "https://other.invalid/*")));
    get(cp.dispatcher().everyClusterChanged());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (int i = 0; i < AGENTS; i++) {
                String c = cluster(i);
                assertThat(agents.get(i).held.keySet())
                    .as(c)
                    .containsExactlyInAnyOrder("a-" + c, "b-" + c);
                assertThat(agents.get(i).deletes.get("old-" + c).getPruneResources())
                    .as("held back: its resources stay")
                    .isFalse();
              }
            });
    Map<String, Long> narrowed = resyncQueries();

    // One commit: every Application moves; b leaves the odd clusters; held-back ones move too.
    Map<String, Long> before = generations();
    resetStatistics();
    get(cp.applications().bumpGenerationsOfProject(cp.applications().pool(), "legacy"));
    get(cp.controller().apply(appSet("web", "team", "{{app}}-2", false)));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (int i = 0; i < AGENTS; i++) {
                String c = cluster(i);
                Agent agent = agents.get(i);
                assertThat(agent.held.keySet())
                    .as(c)
                    .containsExactlyInAnyOrderElementsOf(
                        i % 2 == 0 ? List.of("a-" + c, "b-" + c) : List.of("a-" + c));
                assertThat(agent.held.get("a-" + c).getGeneration())
                    .isGreaterThan(before.get("a-" + c));
                assertThat(
                        new JsonObject(agent.held.get("a-" + c).getSpecJson())
                            .getJsonObject("source")
                            .getString("path"))
                    .isEqualTo("a-2");
              }
            });
    Map<String, Long> committed = resyncQueries();

    // The same through another replica's event.
    resetStatistics();
    get(cp.applications().bumpGenerationsOfProject(cp.applications().pool(), "team"));
    Map<String, Long> bumped = generations();
    cp.dispatcher().onReplicaEvent(ReplicaEvent.resync(clusters()));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (int i = 0; i < AGENTS; i++) {
                String c = cluster(i);
                assertThat(agents.get(i).held.get("a-" + c).getGeneration())
                    .isEqualTo(bumped.get("a-" + c));
              }
            });
    Map<String, Long> relayed = resyncQueries();

    System.out.printf(
        "resync queries for %d agents: narrowed=%s committed=%s relayed=%s%n",
        AGENTS, narrowed, committed, relayed);
    for (Agent agent : agents) {
      assertThat(agent.upsertsOfOld).as("held back: never sent again").isZero();
      assertThat(agent.olderSent).as("never an older generation than sent").isEmpty();
      assertThat(agent.error).isNull();
    }
    for (Map<String, Long> counted : List.of(narrowed, committed, relayed)) {
      assertThat(counted.get(GENERATIONS_OF_ONE)).as("per-agent generations").isZero();
      assertThat(counted.get(DOCUMENTS_OF_ONE)).as("per-agent documents").isZero();
      assertThat(counted.get(GENERATIONS_OF_MANY)).isBetween(1L, 2L);
      assertThat(counted.get(POLICY_VERSION)).isLessThan(AGENTS / 2);
    }
    assertThat(committed.get(DOCUMENTS_OF_MANY)).as("one read of what moved").isBetween(1L, 2L);
  }

  @Test
  void whenTheReadForManyFailsEachAgentReadsForItselfAndStillGetsItsAssignments() throws Exception {
    // The read for many goes to a database that does not exist: it fails after the policies.
    Database absent =
        Database.of(
            new PgConnectOptions()
                .setHost("localhost")
                .setPort(postgres.getPort())
                .setUser("postgres")
                .setPassword("postgres")
                .setDatabase("absent"));
    cp.dispatcher()
        .readForManyThrough(
            new ProjectGate(cp.projects(), cp.clusters()),
            new FleetApplicationRepository(absent.pool(cp.vertx())));
    Map<String, Long> before = generations();
    resetStatistics();

    get(cp.controller().apply(appSet("web", "team", "{{app}}-2", false)));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (int i = 0; i < AGENTS; i++) {
                String c = cluster(i);
                Agent agent = agents.get(i);
                assertThat(agent.held.keySet())
                    .as(c)
                    .containsExactlyInAnyOrderElementsOf(
                        i % 2 == 0
                            ? List.of("a-" + c, "b-" + c, "old-" + c)
                            : List.of("a-" + c, "old-" + c));
                assertThat(agent.held.get("a-" + c).getGeneration())
                    .isGreaterThan(before.get("a-" + c));
                assertThat(
                        new JsonObject(agent.held.get("a-" + c).getSpecJson())
                            .getJsonObject("source")
                            .getString("path"))
                    .isEqualTo("a-2");
                assertThat(agent.deletes.get("b-" + c) != null).isEqualTo(i % 2 == 1);
              }
            });
    Map<String, Long> fallback = resyncQueries();
    assertThat(fallback.get(GENERATIONS_OF_MANY)).as("the read for many failed").isZero();
    assertThat(fallback.get(GENERATIONS_OF_ONE))
        .as("each agent read for itself")
        .isGreaterThanOrEqualTo(AGENTS);
    for (Agent agent : agents) {
      assertThat(agent.olderSent).isEmpty();
      assertThat(agent.error).isNull();
    }
  }

  /** Calls of each statement a resync runs since the last reset. */
  private Map<String, Long> resyncQueries() throws Exception {
    Map<String, Long> calls = new TreeMap<>();
    for (String q :
        List.of(
            GENERATIONS_OF_ONE,
            DOCUMENTS_OF_ONE,
            GENERATIONS_OF_MANY,
            DOCUMENTS_OF_MANY,
            POLICY_VERSION)) {
      calls.put(q, 0L);
    }
    try (Statement s = stats.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT query, calls FROM pg_stat_statements WHERE dbid = (SELECT oid FROM"
                    + " pg_database WHERE datname = current_database())")) {
      while (r.next()) {
        String query = r.getString(1);
        for (String q : calls.keySet()) {
          if (query.contains(q)) {
            calls.merge(q, r.getLong(2), Long::sum);
          }
        }
      }
    }
    return calls;
  }

  private void resetStatistics() throws Exception {
    try (Statement s = stats.createStatement()) {
      s.execute("SELECT pg_stat_statements_reset()");
    }
  }

  private Map<String, Long> generations() throws Exception {
    Map<String, Long> generations = new TreeMap<>();
    try (Statement s = stats.createStatement();
        ResultSet r = s.executeQuery("SELECT name, generation FROM applications")) {
      while (r.next()) {
        generations.put(r.getString(1), r.getLong(2));
      }
    }
    return generations;
  }

  private static String cluster(int i) {
    return String.format("c%02d", i);
  }

  private static List<String> clusters() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      all.add(cluster(i));
    }
    return all;
  }

  private static JsonObject project(String name, String repos) {
    return new JsonObject()
        .put("metadata", new JsonObject().put("name", name))
        .put(
            "spec",
            new JsonObject()
                .put("sourceRepos", new JsonArray().add(repos))
                .put(
                    "destinations",
                    new JsonArray()
                        .add(new JsonObject().put("server", "*").put("namespace", "*"))
                        .add(new JsonObject().put("name", "*").put("namespace", "*"))));
  }

  /**
   * An ApplicationSet on every cluster: two Applications (a, b) each, or with {@code
   * bOnEvenOnly}... for "old", one.
   */
  private static String appSet(String name, String project, String path, boolean everywhere) {
    String elements;
    if (name.equals("old")) {
      elements =
          clusters().stream()
              .map(c -> "        - {cluster: " + c + ", app: old}")
              .collect(Collectors.joining("\n"));
    } else {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < AGENTS; i++) {
        lines.add("        - {cluster: " + cluster(i) + ", app: a}");
        if (everywhere || i % 2 == 0) {
          lines.add("        - {cluster: " + cluster(i) + ", app: b}");
        }
      }
      elements = String.join("\n", lines);
    }
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - list:
                elements:
        %s
          template:
            metadata:
              name: '{{app}}-{{cluster}}'
            spec:
              project: %s
              source:
                repoURL: https://example.invalid/repo.git
                path: '%s'
              destination:
                name: '{{cluster}}'
                namespace: web
        """
        .formatted(name, elements, project, path);
  }

  /** An agent's end of the stream: what it holds after each message. */
  private static final class Agent implements StreamObserver<ControlMessage> {
    final Map<String, Assignment> held = new ConcurrentHashMap<>();
    final Map<String, Delete> deletes = new ConcurrentHashMap<>();
    final List<String> olderSent = new CopyOnWriteArrayList<>();
    private final List<Assignment> collecting = new ArrayList<>();
    volatile int upsertsOfOld;
    volatile Throwable error;

    @Override
    public synchronized void onNext(ControlMessage m) {
      switch (m.getKindCase()) {
        case SNAPSHOT -> replace(m.getSnapshot().getAssignmentsList());
        case SNAPSHOT_BEGIN -> collecting.clear();
        case SNAPSHOT_CHUNK -> collecting.addAll(m.getSnapshotChunk().getAssignmentsList());
        case SNAPSHOT_END -> replace(List.copyOf(collecting));
        case UPSERT -> {
          Assignment a = m.getUpsert().getAssignment();
          Assignment before = held.get(a.getName());
          if (before != null && before.getGeneration() > a.getGeneration()) {
            olderSent.add(a.getName());
          }
          if (a.getName().startsWith("old-")) {
            upsertsOfOld++;
          }
          held.put(a.getName(), a);
        }
        case DELETE -> {
          deletes.put(m.getDelete().getApplication(), m.getDelete());
          held.remove(m.getDelete().getApplication());
        }
        default -> {
          // Welcome, credentials, acks: not what this test follows.
        }
      }
    }

    private void replace(List<Assignment> all) {
      held.clear();
      all.forEach(a -> held.put(a.getName(), a));
    }

    @Override
    public void onError(Throwable t) {
      error = t;
    }

    @Override
    public void onCompleted() {}
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
