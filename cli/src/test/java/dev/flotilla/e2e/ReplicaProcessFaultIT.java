package dev.flotilla.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.AgentConfig;
import dev.flotilla.agent.ClusterAgent;
import dev.flotilla.agent.HealthSettings;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.demo.SimulatedCluster;
import dev.flotilla.testkit.TestPostgres;
import dev.flotilla.testkit.TestRepo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.vertx.pgclient.PgConnectOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code flotilla server} processes on one PostgreSQL with real agents dialling both addresses;
 * the replica holding most agents is killed with SIGKILL. Its agents reconnect to the other within
 * their backoff, and a commit made afterwards reaches every cluster: nothing was lost. Prints the
 * reconnect spread (BENCHMARKS.md).
 */
class ReplicaProcessFaultIT {

  private static final int CLUSTERS = 6;
  private static final Pattern PORTS =
      Pattern.compile("flotilla server: REST http://[^:]+:(\\d+)\\s+gRPC .*?:(\\d+)");
  private static final Pattern REPLICA = Pattern.compile("^flotilla server: replica (\\S+)$");

  @TempDir Path tmp;
  private final List<Server> servers = new ArrayList<>();
  private final Map<String, SimulatedCluster> clusters = new LinkedHashMap<>();
  private final List<ClusterAgent> agents = new ArrayList<>();
  private TestRepo repo;

  @AfterEach
  void stop() throws Exception {
    agents.forEach(ClusterAgent::close);
    for (Server s : servers) {
      s.process().destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
    clusters.values().forEach(SimulatedCluster::close);
    if (repo != null) {
      repo.close();
    }
  }

  @Test
  void theAgentsOfAReplicaKilledWithSigkillMoveToTheOtherAndTheFleetConverges() throws Exception {
    PgConnectOptions db = TestPostgres.fresh();
    Database.of(db).migrate(); // So that the two servers below start on the same schema.
    String url =
        "postgresql://%s:%s@%s:%d/%s"
            .formatted(
                db.getUser(), db.getPassword(), db.getHost(), db.getPort(), db.getDatabase());
    Server a = startServer(tmp.resolve("a"), url);
    Server b = startServer(tmp.resolve("b"), url);
    String addresses = "127.0.0.1:" + a.grpcPort() + ",127.0.0.1:" + b.grpcPort();

    repo = AppSets.appsOneRepo(tmp.resolve("repo"), "hello", "first");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < CLUSTERS; i++) {
      String name = "c" + i;
      names.add(name);
      SimulatedCluster cluster = SimulatedCluster.start(name, true);
      clusters.put(name, cluster);
      String token = JoinTokens.newToken();
      sql(
          db,
          "INSERT INTO clusters (name, server, token_hash) VALUES (?, ?, ?)",
          name,
          cluster.url(),
          JoinTokens.hash(token));
      ClusterAgent agent =
          new ClusterAgent(
              AgentConfig.builder(addresses, name, token)
                  .stateDir(tmp.resolve("agents").resolve(name))
                  .workers(1)
                  .build(),
              cluster.client(),
              HealthSettings.DEFAULTS);
      agents.add(agent);
      agent.start();
    }
    HttpResponse<String> applied =
        rest(
            a,
            "POST",
            "/api/v1/applicationsets",
            AppSets.appsOneOn(
                "one",
                "one",
                repo.url(),
                AppSets.automated(true, false),
                names.toArray(String[]::new)));
    assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
    awaitGreeting("hello");

    Map<String, String> before = connectedReplicas(db);
    assertThat(before.values()).as("every agent connected").doesNotContainNull();
    Server victim =
        before.values().stream().filter(a.replica()::equals).count() * 2 >= CLUSTERS ? a : b;
    Server survivor = victim == a ? b : a;
    List<String> moving =
        before.entrySet().stream()
            .filter(e -> e.getValue().equals(victim.replica()))
            .map(Map.Entry::getKey)
            .toList();

    long killed = System.nanoTime();
    victim.process().destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    Map<String, Long> reconnectedAfterMs = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              connectedReplicas(db)
                  .forEach(
                      (cluster, replica) -> {
                        if (moving.contains(cluster) && survivor.replica().equals(replica)) {
                          reconnectedAfterMs.putIfAbsent(
                              cluster, (System.nanoTime() - killed) / 1_000_000);
                        }
                      });
              return reconnectedAfterMs.keySet().containsAll(moving);
            });
    List<Long> spread = reconnectedAfterMs.values().stream().sorted().toList();
    System.out.printf(
        "replica killed: %d agents reconnected to the other replica after %s ms%n",
        moving.size(), spread);

    // A commit after the kill: the survivor polls (it takes the poller's lease if the victim
    // held it), generates and dispatches; every agent, moved or not, applies it.
    repo.write("apps/one/config.yaml", TestRepo.configMap("one-config", "greeting", "bye"));
    repo.commit("second");
    awaitGreeting("bye");
  }

  private void awaitGreeting(String greeting) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              for (Map.Entry<String, SimulatedCluster> c : clusters.entrySet()) {
                ConfigMap cm =
                    c.getValue()
                        .client()
                        .configMaps()
                        .inNamespace("one")
                        .withName("one-config")
                        .get();
                assertThat(cm).as("one-config on %s", c.getKey()).isNotNull();
                assertThat(cm.getData()).containsEntry("greeting", greeting);
              }
            });
  }

  /** Each cluster's replica holding its agent's stream (null when disconnected). */
  private static Map<String, String> connectedReplicas(PgConnectOptions db) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = connect(db);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT name, CASE WHEN connected THEN connected_replica END FROM clusters"
                    + " ORDER BY name");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  private static void sql(PgConnectOptions db, String statement, String... values)
      throws Exception {
    try (Connection c = connect(db);
        PreparedStatement s = c.prepareStatement(statement)) {
      for (int i = 0; i < values.length; i++) {
        s.setString(i + 1, values[i]);
      }
      s.executeUpdate();
    }
  }

  private static Connection connect(PgConnectOptions db) throws Exception {
    return DriverManager.getConnection(Database.of(db).jdbcUrl(), db.getUser(), db.getPassword());
  }

  private static HttpResponse<String> rest(Server s, String method, String path, String body)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
                .header("Authorization", "Bearer " + s.adminToken())
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** A server process, its ports and replica id as it printed them. */
  record Server(Process process, Path home, int httpPort, int grpcPort, String replica) {
    String adminToken() throws IOException {
      // Written by whichever replica started first; the other reads the same user's token here.
      for (Path p : List.of(home.resolve("admin.token"), home.resolveSibling("a/admin.token"))) {
        if (Files.exists(p)) {
          return Files.readString(p).trim();
        }
      }
      throw new IllegalStateException("no admin token written");
    }
  }

  private Server startServer(Path home, String dbUrl) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.flotilla.cli.FlotillaCli",
                "server",
                "--db-url",
                dbUrl,
                "--bind",
                "127.0.0.1",
                "--http-port",
                "0",
                "--grpc-port",
                "0",
                "--git-poll-interval",
                "1s")
            .redirectErrorStream(true);
    builder.environment().put("FLOTILLA_HOME", home.toString());
    Process process = builder.start();
    ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // The process went away.
              }
            },
            "server-output");
    reader.setDaemon(true);
    reader.start();
    Server[] started = new Server[1];
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "server exited: " + String.join("\n", List.copyOf(lines)));
                }
                String replica = null;
                Matcher ports = null;
                for (String l : lines) {
                  Matcher r = REPLICA.matcher(l);
                  if (r.find()) {
                    replica = r.group(1);
                  }
                  Matcher p = PORTS.matcher(l);
                  if (p.find()) {
                    ports = p;
                  }
                }
                if (replica == null || ports == null) {
                  return false;
                }
                started[0] =
                    new Server(
                        process,
                        home,
                        Integer.parseInt(ports.group(1)),
                        Integer.parseInt(ports.group(2)),
                        replica);
                return true;
              });
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    servers.add(started[0]);
    return started[0];
  }
}
