package dev.flotilla.cli;

import dev.flotilla.agent.FlotillaHome;
import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla server}: the control plane. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run the control plane: REST API, agent gRPC endpoint, ApplicationSet controller and Git poller.",
      "Uses an embedded PostgreSQL under $FLOTILLA_HOME/postgres unless --db-url names another."
    })
final class ServerCommand implements Callable<Integer> {

  @Option(
      names = "--db-url",
      paramLabel = "URL",
      description =
          "External Postgres, postgresql://user:pass@host:port/db (or env FLOTILLA_DB_URL)."
              + " Default: embedded.")
  String dbUrl;

  @Option(
      names = "--bind",
      defaultValue = "127.0.0.1",
      description =
          "Address to listen on. Default: ${DEFAULT-VALUE} (use 0.0.0.0 for agents on other hosts).")
  String bind;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description = "REST port. Default: ${DEFAULT-VALUE}.")
  int httpPort;

  @Option(
      names = "--grpc-port",
      defaultValue = "9090",
      description = "Agent gRPC port. Default: ${DEFAULT-VALUE}.")
  int grpcPort;

  @Option(
      names = "--git-poll-interval",
      defaultValue = "PT3M",
      paramLabel = "DURATION",
      description =
          "How often Git revisions are re-resolved (ISO-8601). Default: ${DEFAULT-VALUE}.")
  Duration gitPoll;

  @Option(
      names = {"-v", "--verbose"},
      description = "Debug logging.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    String url = dbUrl != null ? dbUrl : System.getenv("FLOTILLA_DB_URL");
    ControlPlaneConfig config =
        new ControlPlaneConfig(
            FlotillaHome.resolve(),
            url == null || url.isBlank() ? null : url,
            bind,
            httpPort,
            grpcPort,
            gitPoll,
            ControlPlaneConfig.DEFAULT_REQUEUE);
    System.out.println(
        "flotilla server: starting ("
            + (config.dbUrl() == null
                ? "embedded Postgres in " + config.postgresDir()
                : "external Postgres")
            + ")…");
    try (ControlPlane cp = ControlPlane.start(config)) {
      System.out.printf(
          "flotilla server: REST http://%s:%d  agent gRPC %s:%d%n"
              + "admin token in %s (the CLI reads it from there)%n",
          bind, cp.httpPort(), bind, cp.grpcPort(), config.adminTokenFile());
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "server-shutdown"));
      stop.await();
      System.out.println("flotilla server: stopping");
    }
    return 0;
  }
}
