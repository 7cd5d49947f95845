package dev.flotilla.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of {@code flotilla bench fleet}: set up (control planes if none is given, clusters, a Git
 * repository, one ApplicationSet), connect the simulated agents, let them run, commit, and measure.
 * Progress goes to {@code err}; the result is a {@link FleetBenchSummary}.
 */
final class FleetBench {

  /**
   * What to run.
   *
   * @param controlPlane REST URL of an existing control plane; null starts {@code replicas} of our
   *     own
   * @param agentEndpoint gRPC {@code host:port} agents dial on an existing control plane
   * @param metricsUrl its {@code /metrics} URL, for the heap; null: heap not measured
   * @param dbUrl its database ({@code postgresql://…}), for statements per second; null: not
   *     measured
   */
  record Settings(
      int agents,
      int applications,
      String controlPlane,
      String agentEndpoint,
      String metricsUrl,
      String token,
      String dbUrl,
      int replicas,
      Duration statusInterval,
      Duration heartbeat,
      double driftPerSecond,
      Duration steady,
      Duration timeout,
      Path workDir,
      List<String> serverJavaOpts,
      boolean durablePostgres,
      String webhookSecret,
      boolean keep) {}

  private final Settings settings;
  private final PrintStream err;
  private final long startNanos = System.nanoTime();
  private final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt(), 6);

  FleetBench(Settings settings, PrintStream err) {
    this.settings = settings;
    this.err = err;
  }

  private void progress(String message) {
    err.printf("[%7.1f s] %s%n", (System.nanoTime() - startNanos) / 1e9, message);
  }

  FleetBenchSummary run() throws Exception {
    int perCluster =
        Math.max(1, (settings.applications() + settings.agents() - 1) / settings.agents());
    int total = perCluster * settings.agents();
    FleetBenchSummary summary =
        new FleetBenchSummary()
            .put("agents", settings.agents())
            .put("applications", total)
            .put("replicas", settings.controlPlane() == null ? settings.replicas() : null);
    if (total != settings.applications()) {
      progress(
          "each cluster gets the same number of Applications: "
              + perCluster
              + " per cluster, "
              + total
              + " in all");
    }
    LocalControlPlanes local = null;
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    try {
      List<String> grpcTargets = new ArrayList<>();
      List<String> metricsUrls = new ArrayList<>();
      String restUrl;
      String token;
      PostgresStats pg = null;
      if (settings.controlPlane() == null) {
        local =
            LocalControlPlanes.start(
                settings.workDir(),
                settings.replicas(),
                settings.serverJavaOpts(),
                settings.durablePostgres(),
                this::progress);
        for (LocalControlPlanes.Replica r : local.replicas()) {
          grpcTargets.add(r.grpcTarget());
          metricsUrls.add(r.metricsUrl());
        }
        restUrl = local.replicas().get(0).restUrl();
        token = local.adminToken();
        pg = PostgresStats.connect(local.jdbcUrl(), "postgres", "postgres", true);
        if (settings.replicas() > 1) {
          progress(
              settings.replicas()
                  + " replicas on one PostgreSQL; agents are spread over them round-robin and the"
                  + " webhook goes to replica 0 only (as behind a load balancer): the agents of"
                  + " the other replicas learn of the commit through the replicas' event log"
                  + " (LISTEN/NOTIFY); each server's log (server-N.log in the work directory)"
                  + " says when each phase ended");
        }
      } else {
        restUrl = settings.controlPlane();
        token = settings.token();
        grpcTargets.add(settings.agentEndpoint());
        if (settings.metricsUrl() != null) {
          metricsUrls.add(settings.metricsUrl());
        }
        if (settings.dbUrl() != null) {
          String[] jdbc = PostgresStats.fromServerUrl(settings.dbUrl());
          pg = PostgresStats.connect(jdbc[0], jdbc[1], jdbc[2], false);
        }
      }
      ControlPlaneHeap heap = new ControlPlaneHeap(metricsUrls);
      if (heap.enabled()) {
        sampler.scheduleWithFixedDelay(heap::sample, 0, 5, TimeUnit.SECONDS);
      }
      BenchApi api = new BenchApi(restUrl, token, settings.timeout());
      BenchRepository repo = BenchRepository.create(settings.workDir().resolve("repo"), perCluster);
      String sha0 = repo.head();

      List<AgentFleet.Member> members = registerClusters(api);
      String appSet = "bench-" + run;
      double generateSeconds = generate(api, appSet, repo.url(), total);
      summary.put("generate_s", generateSeconds);

      try (AgentFleet fleet = new AgentFleet(members, grpcTargets, settings.heartbeat())) {
        AgentFleet.Milestone connected = fleet.watch(SimulatedAgent::isConnected);
        AgentFleet.Milestone synced = fleet.watch(a -> a.holdsAt(sha0) == perCluster);
        progress(
            "connecting " + settings.agents() + " agents to " + String.join(", ", grpcTargets));
        fleet.connectAll();
        fleet.startTraffic(
            settings.heartbeat(), settings.statusInterval(), settings.driftPerSecond());
        boolean allConnected = await(fleet, connected, "connected", settings.timeout());
        boolean allSynced =
            allConnected
                && await(
                    fleet,
                    synced,
                    "hold their " + perCluster + " Applications",
                    settings.timeout());
        summary.put("connect_s", allConnected ? max(connected) / 1000 : null);
        summary.put("synced_s", allSynced ? max(synced) / 1000 : null);
        fleet.unwatch(connected);
        fleet.unwatch(synced);

        progress(
            "steady state for "
                + settings.steady().toSeconds()
                + " s (heartbeats every "
                + settings.heartbeat().toSeconds()
                + " s, "
                + (settings.statusInterval().isZero()
                    ? "statuses on change only"
                    : "every status every " + settings.statusInterval().toSeconds() + " s")
                + ", "
                + settings.driftPerSecond()
                + " drift/s)");
        PostgresStats.Sample s1 = pg != null ? pg.sample() : null;
        Thread.sleep(settings.steady().toMillis());
        PostgresStats.Sample s2 = pg != null ? pg.sample() : null;
        summary.put(
            "pg_statements_per_s", s1 != null ? PostgresStats.statementsPerSecond(s1, s2) : null);
        summary.put("pg_tx_per_s", s1 != null ? PostgresStats.transactionsPerSecond(s1, s2) : null);

        boolean allAcked = false;
        if (allSynced) {
          if (pg != null) {
            pg.resetStatements();
          }
          allAcked = commitAndMeasure(api, repo, fleet, perCluster, summary);
          if (pg != null) {
            progress("statements called most from the commit to the last ack:");
            pg.top(8).forEach(line -> err.println("    " + line));
          }
        } else {
          summary.put("commit_acked", "0/" + settings.agents());
        }
        heap.sample();
        summary.put("heap_max_mib", heap.enabled() ? heap.maxMib() : null);
        summary.put("disconnects", fleet.disconnects());
        summary.put("drift_events", fleet.driftEventsSent());
        summary.put("load1", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        summary.put("result", allConnected && allSynced && allAcked ? "ok" : "incomplete");
      }
      if (settings.controlPlane() != null && !settings.keep()) {
        cleanUp(api, appSet, members);
      }
      if (pg != null) {
        pg.close();
      }
      return summary;
    } finally {
      sampler.shutdownNow();
      if (local != null) {
        progress("stopping the control plane(s)");
        local.close();
      }
    }
  }

  private List<AgentFleet.Member> registerClusters(BenchApi api) throws Exception {
    progress("registering " + settings.agents() + " clusters (label flotilla-bench=" + run + ")");
    Semaphore inFlight = new Semaphore(16);
    List<CompletableFuture<AgentFleet.Member>> added = new ArrayList<>();
    for (int i = 0; i < settings.agents(); i++) {
      String name = String.format("bench-%s-%05d", run, i);
      inFlight.acquire();
      added.add(
          api.addCluster(name, "flotilla-bench", run)
              .whenComplete((t, e) -> inFlight.release())
              .thenApply(t -> new AgentFleet.Member(name, t)));
    }
    List<AgentFleet.Member> members = new ArrayList<>();
    for (CompletableFuture<AgentFleet.Member> f : added) {
      try {
        members.add(f.join());
      } catch (java.util.concurrent.CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    return members;
  }

  /** Applies the ApplicationSet and waits for its first generation; returns its seconds. */
  private double generate(BenchApi api, String name, String repoUrl, int total) throws Exception {
    progress(
        "applying ApplicationSet "
            + name
            + " (clusters × git directories → "
            + total
            + " Applications)");
    long t0 = System.nanoTime();
    api.applyApplicationSet(applicationSet(name, repoUrl));
    long deadline = t0 + settings.timeout().toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject status = api.applicationSet(name).getJsonObject("status", new JsonObject());
      JsonArray errors = status.getJsonArray("errors", new JsonArray());
      if (!errors.isEmpty()) {
        throw new BenchException(
            "ApplicationSet " + name + " failed to generate: " + errors.encode());
      }
      if (status.containsKey("lastGeneratedAt")) {
        double seconds = (System.nanoTime() - t0) / 1e9;
        progress(
            String.format(
                "generated in %.1f s (%s created or updated)",
                seconds, status.getValue("created_or_updated")));
        return seconds;
      }
      Thread.sleep(250);
    }
    throw new BenchException(
        "ApplicationSet "
            + name
            + " not generated within "
            + settings.timeout().toSeconds()
            + " s");
  }

  private String applicationSet(String name, String repoUrl) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - matrix:
                generators:
                  - clusters:
                      selector:
                        matchLabels:
                          flotilla-bench: "%s"
                  - git:
                      repoURL: %s
                      revision: main
                      directories:
                        - path: apps/*
          template:
            metadata:
              name: '{{name}}-{{path.basename}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: '{{path}}'
              destination:
                name: '{{name}}'
                namespace: '{{path.basename}}'
              syncPolicy:
                automated:
                  prune: true
        """
        .formatted(name, run, repoUrl, repoUrl);
  }

  /**
   * Commits a change to a directory every cluster deploys, sends the push webhook and times, per
   * agent, commit → it holds (and has acknowledged) every one of its Applications at the new
   * commit.
   */
  private boolean commitAndMeasure(
      BenchApi api,
      BenchRepository repo,
      AgentFleet fleet,
      int perCluster,
      FleetBenchSummary summary)
      throws Exception {
    String[] sha = new String[1];
    AgentFleet.Milestone acked =
        fleet.watch(a -> sha[0] != null && a.holdsAt(sha[0]) == perCluster);
    sha[0] = repo.changeFirstApplication();
    progress("committed " + sha[0].substring(0, 8) + "; sending the push webhook to " + api.base());
    api.pushWebhook(repo.url(), settings.webhookSecret());
    boolean all = await(fleet, acked, "acknowledged the commit", settings.timeout());
    List<Double> millis = acked.millis();
    summary.put("commit_acked", acked.count() + "/" + fleet.size());
    summary.put("commit_ack_p50_ms", Percentiles.of(millis, 50));
    summary.put("commit_ack_p99_ms", Percentiles.of(millis, 99));
    summary.put("commit_ack_max_ms", Percentiles.of(millis, 100));
    return all;
  }

  /** Waits for every agent to reach {@code m}, printing progress every 2 s; false on timeout. */
  private boolean await(AgentFleet fleet, AgentFleet.Milestone m, String what, Duration timeout)
      throws InterruptedException {
    long deadline = m.startNanos() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      try {
        m.done()
            .get(Math.min(TimeUnit.SECONDS.toNanos(2), Math.max(1, left)), TimeUnit.NANOSECONDS);
        progress(String.format("all %d agents %s after %.1f s", fleet.size(), what, max(m) / 1000));
        return true;
      } catch (TimeoutException e) {
        progress(
            String.format(
                "%d/%d agents %s (%d connected, %d reconnects)",
                m.count(), fleet.size(), what, fleet.connected(), fleet.disconnects()));
        if (System.nanoTime() >= deadline) {
          progress("gave up after " + timeout.toSeconds() + " s (--timeout)");
          return false;
        }
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static double max(AgentFleet.Milestone m) {
    return Percentiles.of(m.millis(), 100);
  }

  private void cleanUp(BenchApi api, String appSet, List<AgentFleet.Member> members) {
    progress(
        "removing ApplicationSet "
            + appSet
            + " and the "
            + members.size()
            + " bench clusters (--keep keeps them)");
    try {
      api.deleteApplicationSet(appSet);
      List<CompletableFuture<Void>> removed = new ArrayList<>();
      for (AgentFleet.Member m : members) {
        removed.add(api.removeCluster(m.cluster()));
      }
      CompletableFuture.allOf(removed.toArray(CompletableFuture[]::new)).join();
    } catch (Exception e) {
      progress("clean-up failed: " + e.getMessage());
    }
  }
}
