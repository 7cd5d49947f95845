package dev.flotilla.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla bench fleet}: N simulated agents against a control plane, measured. */
@Command(
    name = "fleet",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs N simulated agents (real gRPC clients of the agent protocol, with in-memory clusters,"
          + " all in this JVM) against a control plane and measures it: registers N clusters,"
          + " applies one ApplicationSet (cluster generator x git directory generator over a"
          + " local Git repository it creates) producing the Applications, connects the agents,"
          + " lets them acknowledge, report status, heartbeats and drift, then commits a change"
          + " every cluster deploys and times commit -> acknowledged by every agent.",
      "Without --control-plane it starts its own: an embedded PostgreSQL and --replicas"
          + " `flotilla server` processes on it.",
      "Progress goes to stderr; stdout gets one summary line of key=value pairs"
          + " (connect_s, synced_s, commit_ack_p50_ms, commit_ack_p99_ms, heap_max_mib,"
          + " pg_statements_per_s, load1, result=ok|incomplete). Exit status 1 when a phase"
          + " did not complete within --timeout."
    },
    footer = {
      "",
      "Examples:",
      "  flotilla bench fleet --agents 1000 --applications 10000",
      "  flotilla bench fleet --agents 100 --applications 1000 --replicas 3",
      "  flotilla bench fleet --agents 500 --applications 5000 --control-plane http://cp:8080 \\",
      "      --agent-endpoint cp:9090 --token $FLOTILLA_TOKEN --metrics-url http://cp:8082/metrics"
    })
public final class FleetBenchCommand implements Callable<Integer> {

  @Option(
      names = "--agents",
      required = true,
      paramLabel = "N",
      description = "Simulated agents (clusters).")
  int agents;

  @Option(
      names = "--applications",
      required = true,
      paramLabel = "M",
      description = "Applications in all, spread evenly (rounded up to a multiple of N).")
  int applications;

  @Option(
      names = "--control-plane",
      paramLabel = "URL",
      description =
          "REST address of an existing control plane (it must read the bench's Git repository as"
              + " a file:// path: run the bench on its host or put --work-dir on shared storage)."
              + " Default: start our own.")
  String controlPlane;

  @Option(
      names = "--agent-endpoint",
      paramLabel = "HOST:PORT",
      description = "Its agent gRPC address. Default: the --control-plane host, port 9090.")
  String agentEndpoint;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Its API token (or env FLOTILLA_TOKEN); needs role:admin.")
  String token;

  @Option(
      names = "--metrics-url",
      paramLabel = "URL",
      description = "Its /metrics URL, for the heap. Default: not measured.")
  String metricsUrl;

  @Option(
      names = "--db-url",
      paramLabel = "postgresql://…",
      description =
          "Its database, for statements per second (pg_stat_statements if loaded, else"
              + " transactions). Default: not measured.")
  String dbUrl;

  @Option(
      names = "--replicas",
      paramLabel = "R",
      defaultValue = "1",
      description =
          "Control-plane processes to start on one PostgreSQL (our own only). Default: ${DEFAULT-VALUE}.")
  int replicas;

  @Option(
      names = "--server-java-opts",
      paramLabel = "OPTS",
      defaultValue = "-Xmx512m",
      description =
          "JVM options of the servers we start. Default: ${DEFAULT-VALUE} (the heap target).")
  String serverJavaOpts;

  @Option(
      names = "--status-interval",
      paramLabel = "DURATION",
      defaultValue = "0s",
      description =
          "How often each agent reports the status of every Application it holds, as if each"
              + " changed that often (status churn). Default: ${DEFAULT-VALUE}, only on change, as"
              + " the real agent (it never resends an unchanged status).")
  Duration statusInterval;

  @Option(
      names = "--heartbeat",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description = "Heartbeat interval of each agent. Default: ${DEFAULT-VALUE}, the agent's.")
  Duration heartbeat;

  @Option(
      names = "--drift-rate",
      paramLabel = "PER_SECOND",
      defaultValue = "1",
      description =
          "Drift occurrences per second across the fleet, each opened and healed. Default: ${DEFAULT-VALUE}.")
  double driftRate;

  @Option(
      names = "--steady",
      paramLabel = "DURATION",
      defaultValue = "20s",
      description =
          "How long the synced fleet runs before the commit (statements/s are measured then). Default: ${DEFAULT-VALUE}.")
  Duration steady;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "120s",
      description =
          "Longest wait for each phase (generation, connect, sync, commit). Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Where the Git repository, PostgreSQL and server logs go. Default: a new temporary directory.")
  Path workDir;

  @Option(
      names = "--webhook-secret",
      paramLabel = "SECRET",
      description = "Sign the push webhook (an existing control plane's --webhook-secret).")
  String webhookSecret;

  @Option(
      names = "--durable-postgres",
      description =
          "fsync and synchronous commit on our PostgreSQL (as in production). Default: off, as a disk shared with other work makes fsync noise.")
  boolean durablePostgres;

  @Option(
      names = "--keep",
      description = "Leave the bench's clusters and ApplicationSet on an existing control plane.")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    String problem = check();
    if (problem != null) {
      System.err.println("error: " + problem);
      return 2;
    }
    Path dir =
        workDir != null
            ? Files.createDirectories(workDir)
            : Files.createTempDirectory("flotilla-bench-");
    String apiToken = token != null ? token : System.getenv("FLOTILLA_TOKEN");
    String endpoint = agentEndpoint;
    if (controlPlane != null && endpoint == null) {
      endpoint = java.net.URI.create(controlPlane).getHost() + ":9090";
    }
    FleetBench.Settings settings =
        new FleetBench.Settings(
            agents,
            applications,
            controlPlane,
            endpoint,
            metricsUrl,
            apiToken,
            dbUrl,
            replicas,
            statusInterval,
            heartbeat,
            driftRate,
            steady,
            timeout,
            dir,
            Arrays.stream(serverJavaOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList(),
            durablePostgres,
            webhookSecret,
            keep);
    System.err.println("flotilla bench fleet: work directory " + dir);
    try {
      FleetBenchSummary summary = new FleetBench(settings, System.err).run();
      System.out.println(summary.line());
      return "ok".equals(summary.get("result")) ? 0 : 1;
    } catch (BenchException e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    } catch (java.net.ConnectException e) {
      System.err.println("error: cannot reach the control plane: " + e.getMessage());
      return 1;
    } catch (java.net.http.HttpTimeoutException e) {
      System.err.println(
          "error: the control plane did not answer within --timeout "
              + timeout.toSeconds()
              + " s (a larger fleet may need a longer one)");
      return 1;
    } catch (java.io.IOException e) {
      // Our own control plane or PostgreSQL did not start: the message names the log to read.
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /** What is wrong with the flags, or null. */
  private String check() {
    if (agents < 1) {
      return "--agents must be at least 1, not " + agents;
    }
    if (applications < 1) {
      return "--applications must be at least 1, not " + applications;
    }
    if (replicas < 1) {
      return "--replicas must be at least 1, not " + replicas;
    }
    if (driftRate < 0) {
      return "--drift-rate must not be negative";
    }
    if (heartbeat.isZero() || heartbeat.isNegative()) {
      return "--heartbeat must be positive";
    }
    if (controlPlane == null) {
      for (String[] f :
          List.of(
              new String[] {"--agent-endpoint", agentEndpoint},
              new String[] {"--metrics-url", metricsUrl},
              new String[] {"--db-url", dbUrl},
              new String[] {"--token", token})) {
        if (f[1] != null) {
          return f[0] + " is for an existing control plane: give --control-plane too";
        }
      }
    } else {
      if (replicas != 1) {
        return "--replicas starts our own control planes: not with --control-plane";
      }
      if (token == null && System.getenv("FLOTILLA_TOKEN") == null) {
        return "--control-plane needs --token (or env FLOTILLA_TOKEN) of an admin";
      }
    }
    return null;
  }
}
