package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;

import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.testkit.TestRepo;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Webhook → applied on every affected cluster, with REAL agents (a {@code ClusterAgent} each, the
 * whole reconcile path: checkout, render, apply) on N SIMULATED clusters, all in this JVM with the
 * control plane: one Application per cluster from a cluster generator, Git polling off, so only the
 * webhook makes the control plane look. Each round commits a new greeting, sends the signed push
 * webhook and times, per cluster, until its API server stores the new ConfigMap (seen by a watch on
 * its object store, no polling). A benchmark main (BENCHMARKS.md), not a test.
 *
 * <pre>
 * java -cp ... dev.flotilla.e2e.WebhookFleetBenchmark 100 5 3   # clusters, rounds, warm-up rounds
 * </pre>
 */
public final class WebhookFleetBenchmark {

  private WebhookFleetBenchmark() {}

  public static void main(String[] args) throws Exception {
    dev.flotilla.core.runtime.CommonPoolParallelism.ensure(); // as every Flotilla main does
    int clusters = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    // Not counted: the first rounds run in a cold JVM (classes loaded, JIT compiling), which a
    // long-running control plane and agents are not.
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Path tmp = Files.createTempDirectory("flotilla-webhook-bench-");
    String[] names = new String[clusters];
    for (int i = 0; i < clusters; i++) {
      names[i] = String.format("c%03d", i);
    }
    try (TestRepo repo = new TestRepo(tmp.resolve("repo"))) {
      repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "round-0"));
      repo.commit("first");
      long t = System.nanoTime();
      try (Fleet fleet = new Fleet(tmp.resolve("fleet"), Duration.ofHours(1), names)) {
        fleet.apply(applicationSet(repo.url()));
        String[] apps = new String[clusters];
        for (int i = 0; i < clusters; i++) {
          apps[i] = names[i] + "-one";
        }
        fleet.awaitSynced(apps);
        System.err.printf(
            "%d clusters with real agents synced in %.1f s%n",
            clusters, (System.nanoTime() - t) / 1e9);
        List<Double> everyCluster = new ArrayList<>();
        List<Double> perCluster = new ArrayList<>();
        CpuByThread cpuBefore = null;
        for (int round = 1 - warmup; round <= rounds; round++) {
          if (round == 1) {
            cpuBefore = CpuByThread.now();
          }
          String greeting = round < 1 ? "warm-up-" + (round + warmup) : "round-" + round;
          Map<String, Long> appliedAt = new ConcurrentHashMap<>();
          CountDownLatch all = new CountDownLatch(clusters);
          List<AutoCloseable> watches = new ArrayList<>();
          for (String name : names) {
            ObjectStore store = fleet.cluster(name).simulator().store();
            ResourceType configMaps = store.type("", "configmaps").orElseThrow();
            watches.add(
                store.watch(
                    configMaps,
                    e -> {
                      var data = e.object().path("data");
                      if ("one-config".equals(e.object().path("metadata").path("name").asText())
                          && greeting.equals(data.path("greeting").asText())
                          && appliedAt.putIfAbsent(name, System.nanoTime()) == null) {
                        all.countDown();
                      }
                    }));
          }
          if (round == rounds) {
            fleet.cluster(names[0]).simulator().drainRequests(); // what the last round asks
          }
          repo.write("apps/one/config.yaml", configMap("one-config", "greeting", greeting));
          repo.commit(greeting);
          long t0 = System.nanoTime();
          webhook(fleet, repo.url());
          boolean done = all.await(60, TimeUnit.SECONDS);
          for (AutoCloseable w : watches) {
            w.close();
          }
          List<Double> ms = appliedAt.values().stream().map(n -> (n - t0) / 1e6).sorted().toList();
          double last = ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1);
          if (round >= 1) {
            perCluster.addAll(ms);
            everyCluster.add(last);
          }
          System.err.printf(
              (round < 1 ? "warm-up " : "")
                  + "round %d: applied on %d/%d clusters, first %.0f ms, every cluster %.0f ms%s%n",
              round,
              ms.size(),
              clusters,
              ms.isEmpty() ? Double.NaN : ms.get(0),
              last,
              done ? "" : " (gave up after 60 s)");
        }
        // CPU of the whole JVM (agents, control plane, simulated clusters) per round: unlike the
        // latencies, barely moved by other processes on the machine.
        CpuByThread cpuAfter = CpuByThread.now();
        double cpuMsPerRound = (cpuAfter.process() - cpuBefore.process()) / 1e6 / rounds;
        System.err.print(cpuAfter.since(cpuBefore, rounds));
        Thread.sleep(1000); // the status and resource tree after the apply
        List<String> asked = fleet.cluster(names[0]).simulator().drainRequests();
        System.err.printf(
            "API requests of cluster %s's agent in the last round (%d):%n  %s%n",
            names[0], asked.size(), String.join("\n  ", asked));

        Collections.sort(everyCluster);
        Collections.sort(perCluster);
        System.out.printf(
            "webhook -> applied: clusters=%d rounds=%d warmup=%d every_cluster_p50_ms=%.0f"
                + " every_cluster_max_ms=%.0f per_cluster_p50_ms=%.0f per_cluster_p99_ms=%.0f"
                + " cpu_ms_per_round=%.0f load1=%.1f%n",
            clusters,
            rounds,
            warmup,
            pct(everyCluster, 50),
            pct(everyCluster, 100),
            pct(perCluster, 50),
            pct(perCluster, 99),
            cpuMsPerRound,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
    }
    System.exit(0);
  }

  private static double pct(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private static void webhook(Fleet fleet, String repoUrl) throws Exception {
    String body =
        "{\"ref\":\"refs/heads/main\",\"repository\":{\"clone_url\":\"" + repoUrl + "\"}}";
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + fleet.controlPlane().httpPort()
                                + "/api/v1/webhook/git"))
                    .header("Content-Type", "application/json")
                    .header("X-GitHub-Event", "push")
                    .header("X-Hub-Signature-256", "sha256=" + WebhookE2E.hmac(body))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new IllegalStateException("webhook answered " + r.statusCode() + ": " + r.body());
    }
  }

  /** apps/one on every registered cluster, automated. */
  private static String applicationSet(String repoUrl) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: everywhere
        spec:
          generators:
            - clusters: {}
          template:
            metadata:
              name: '{{name}}-one'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: apps/one
              destination:
                name: '{{name}}'
                namespace: one
              syncPolicy:
                automated:
                  prune: true
        """
        .formatted(repoUrl);
  }
}
