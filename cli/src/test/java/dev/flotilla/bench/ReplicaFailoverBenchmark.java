package dev.flotilla.bench;

import dev.flotilla.agent.AgentConfig;
import dev.flotilla.agent.ClusterAgent;
import dev.flotilla.agent.HealthSettings;
import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.demo.SimulatedCluster;
import dev.flotilla.testkit.TestPostgres;
import io.vertx.pgclient.PgConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * How agents spread back when a control-plane replica goes away: two in-process replicas on one
 * embedded PostgreSQL, N real agents (agent defaults: backoff 0.5 s doubling to 30 s, full jitter
 * over the upper half) dialling both addresses; the replica holding most of them stops, and each
 * agent's time until it is connected to the other is recorded. Run:
 *
 * <pre>
 * mvn -q -o -pl cli test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp cli/target/classes:cli/target/test-classes:$(cat cli/target/cp.txt) \
 *     dev.flotilla.bench.ReplicaFailoverBenchmark 100
 * </pre>
 */
public final class ReplicaFailoverBenchmark {

  private ReplicaFailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int agents = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path tmp = Files.createTempDirectory("failover-bench");
    PgConnectOptions db = TestPostgres.fresh();
    ControlPlane a = start(tmp.resolve("a"), db);
    ControlPlane b = start(tmp.resolve("b"), db);
    // One API server for every agent: with no Application assigned they never write to it.
    SimulatedCluster cluster = SimulatedCluster.start("shared", true);
    String addresses = "127.0.0.1:" + a.grpcPort() + ",127.0.0.1:" + b.grpcPort();
    List<ClusterAgent> running = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      String name = "c" + i;
      String token = JoinTokens.newToken();
      a.clusters()
          .insert(name, cluster.url(), Map.of(), Map.of(), JoinTokens.hash(token))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      ClusterAgent agent =
          new ClusterAgent(
              AgentConfig.builder(addresses, name, token)
                  .stateDir(tmp.resolve("agents").resolve(name))
                  .workers(1)
                  .build(),
              cluster.client(),
              HealthSettings.DEFAULTS);
      agent.start();
      running.add(agent);
      names.add(name);
    }
    waitUntil(
        () ->
            a.dispatcher().connectedClusters().size() + b.dispatcher().connectedClusters().size()
                == agents,
        120);
    int onA = a.dispatcher().connectedClusters().size();
    System.out.printf(
        "%d agents connected: %d on A, %d on B (random first pick)%n", agents, onA, agents - onA);
    ControlPlane victim = onA * 2 >= agents ? a : b;
    ControlPlane survivor = victim == a ? b : a;
    List<String> moving = new ArrayList<>(victim.dispatcher().connectedClusters());

    Map<String, ClusterAgent> byName = new HashMap<>();
    for (int i = 0; i < agents; i++) {
      byName.put(names.get(i), running.get(i));
    }
    // Closing stops other work first; the clock starts when the first agent loses its stream, as
    // it would at a SIGKILL.
    Thread stopper =
        new Thread(
            () -> {
              try {
                victim.close();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    stopper.start();
    Map<String, Long> lostAt = new HashMap<>();
    Map<String, Long> backAt = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (backAt.size() < moving.size() && System.nanoTime() < deadline) {
      long now = System.nanoTime();
      for (String name : moving) {
        if (!lostAt.containsKey(name) && !byName.get(name).isConnected()) {
          lostAt.put(name, now);
        }
        if (lostAt.containsKey(name)
            && !backAt.containsKey(name)
            && survivor.dispatcher().isConnected(name)) {
          backAt.put(name, now);
        }
      }
      Thread.sleep(2); // A benchmark's sampling loop, not a test.
    }
    stopper.join();
    long first = lostAt.values().stream().mapToLong(Long::longValue).min().orElseThrow();
    List<Long> sinceFirstLoss =
        backAt.values().stream().map(t -> (t - first) / 1_000_000).sorted().toList();
    List<Long> downtime =
        backAt.keySet().stream()
            .map(n -> (backAt.get(n) - lostAt.get(n)) / 1_000_000)
            .sorted()
            .toList();
    Map<Long, Integer> perQuarterSecond = new TreeMap<>();
    sinceFirstLoss.forEach(ms -> perQuarterSecond.merge(ms / 250 * 250, 1, Integer::sum));
    System.out.printf(
        "%d of %d agents back on the survivor; each agent's downtime: %s%n",
        backAt.size(), moving.size(), summary(downtime));
    System.out.println(
        "reconnections per 250 ms after the first stream broke: " + perQuarterSecond);
    running.forEach(ClusterAgent::close);
    survivor.close();
    cluster.close();
    System.exit(0);
  }

  private static String summary(List<Long> sorted) {
    return "min %d ms, p50 %d ms, p90 %d ms, max %d ms"
        .formatted(
            sorted.get(0),
            sorted.get(sorted.size() / 2),
            sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1),
            sorted.get(sorted.size() - 1));
  }

  private static ControlPlane start(Path home, PgConnectOptions db) throws Exception {
    return ControlPlane.start(
        ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), Database.of(db));
  }

  private static void waitUntil(java.util.function.BooleanSupplier done, int seconds)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("not done within " + seconds + " s");
      }
      Thread.sleep(20);
    }
  }
}
