package dev.flotilla.cli;

import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.core.runtime.FlotillaHome;
import dev.flotilla.core.runtime.UntilInterrupted;
import dev.flotilla.demo.Demo;
import dev.flotilla.demo.DemoHealWatcher;
import dev.flotilla.demo.DemoNarrator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code flotilla demo}: the whole product on one machine, with nothing installed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Show Flotilla working end to end with nothing installed: control plane with embedded Postgres,"
          + " a sample Git repo, three SIMULATED clusters (in-process mock Kubernetes API servers), one"
          + " agent each, and an ApplicationSet deploying every app to every cluster.",
      "Everything lives under $FLOTILLA_HOME/demo (wiped at each start). Runs until Ctrl-C unless --once."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--once",
      description =
          "Exit 0 as soon as every Application is Synced; non-zero with the reason on timeout.")
  boolean once;

  @Option(
      names = "--timeout",
      defaultValue = "120s",
      paramLabel = "DURATION",
      description =
          "How long the whole run may take until everything is synced, start-up included (e.g. 120s, 2m). Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--http-port", defaultValue = "0", description = "REST port (0: any free port).")
  int httpPort;

  @Option(
      names = "--grpc-port",
      defaultValue = "0",
      description = "Agent gRPC port (0: any free port).")
  int grpcPort;

  @Option(
      names = "--poll-interval",
      defaultValue = "3s",
      paramLabel = "DURATION",
      description = "How often the demo polls Git (e.g. 3s, 1m). Default: ${DEFAULT-VALUE}.")
  Duration pollInterval;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show the components' logs.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Path home = FlotillaHome.resolve().resolve("demo");
    long started = System.nanoTime();
    UntilInterrupted interrupt = new UntilInterrupted("demo");
    try (Demo demo =
        Demo.start(
            new Demo.Options(home, "127.0.0.1", httpPort, grpcPort, pollInterval), System.out)) {
      // The timeout covers the whole run, start-up included.
      Duration left = timeout.minusNanos(System.nanoTime() - started);
      System.out.println(
          "==> waiting for every Application to be Synced ("
              + Math.max(0, left.toSeconds())
              + " s of the "
              + timeout.toSeconds()
              + " s timeout left)");
      String failure = demo.awaitAllSynced(left.isNegative() ? Duration.ZERO : left);
      if (failure != null) {
        System.err.println("error: " + failure);
        System.err.println("(rerun with --verbose to see the components' logs)");
        return 1;
      }
      if (!demo.awaitAllHealthy(Duration.ofSeconds(20))) {
        System.out.println("        (some rollouts are still progressing; the table shows where)");
      }
      System.out.println();
      printTable(demo.applications());
      int rest = demo.controlPlane().httpPort();
      System.out.printf(
          "%nAll %d Applications synced in %.1f s.%n",
          demo.applications().size(), (System.nanoTime() - started) / 1e9);
      System.out.printf(
          "Web UI:     http://127.0.0.1:%d/  (log in with the admin token below)%n", rest);
      System.out.printf(
          "REST API:   http://127.0.0.1:%d/api/v1/applications  (also /api/v1/clusters)%n", rest);
      System.out.printf("Agent gRPC: 127.0.0.1:%d%n", demo.controlPlane().grpcPort());
      System.out.printf(
          "Admin token (bootstrap user 'admin', role:admin): %s%n",
          demo.controlPlane().adminToken().value());
      System.out.println(
          "Clusters are SIMULATED (in-process API servers with controllers); kubeconfigs:");
      demo.kubeconfigs().forEach(k -> System.out.println("  " + k));
      if (once) {
        return 0;
      }
      Path repo = demo.repoDir();
      Path dev = demo.kubeconfigs().get(0);
      System.out.printf(
          "%nTry it — add a service: a new directory under apps/ is deployed to every cluster:%n"
              + "  mkdir %1$s/apps/newsvc && cp %1$s/apps/cache/*.yaml %1$s/apps/newsvc/%n"
              + "  sed -i 's/cache/newsvc/g' %1$s/apps/newsvc/*.yaml%n"
              + "  git -C %1$s add -A && git -C %1$s commit -qm 'add newsvc'%n"
              + "or change %1$s/apps/frontend/configmap.yaml and commit it;%n"
              + "the demo prints how long each commit took to reach every cluster.%n"
              + "%nTry self-heal — change a Deployment by hand, and its agent puts Git's version"
              + " back:%n"
              + "  kubectl --kubeconfig %4$s edit deployment frontend -n frontend%n"
              + "  kubectl --kubeconfig %4$s scale deployment frontend -n frontend --replicas=5%n"
              + "  kubectl --kubeconfig %4$s get deploy,rs,pods -n frontend%n"
              + "the demo prints each change and how long it took to put it back. Then look:%n"
              + "  export FLOTILLA_API=http://127.0.0.1:%2$d FLOTILLA_TOKEN=%3$s%n"
              + "  ./flotilla app list%n"
              + "  ./flotilla drift%n"
              + "Press Ctrl-C to stop.%n",
          repo, rest, demo.controlPlane().adminToken().value(), dev);
      try (DemoHealWatcher heals = demo.healWatcher(System.out);
          DemoNarrator narrator = demo.narrator(System.out, heals::settle)) {
        narrator.start();
        interrupt.await();
      }
      System.out.println("stopping the demo…");
    } finally {
      interrupt.finished();
    }
    return 0;
  }

  static void printTable(List<ApplicationView> apps) {
    Table table = new Table("CLUSTER", "APPLICATION", "SYNC", "HEALTH", "REVISION");
    apps.forEach(
        a ->
            table.row(
                a.cluster(),
                a.name(),
                a.syncStatus(),
                a.health(),
                AppSetCommand.shortSha(a.revision())));
    table.print(System.out);
  }
}
