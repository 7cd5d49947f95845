package dev.flotilla.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.BuiltinTypes;
import dev.flotilla.simulator.store.LabelSelector;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * A main, not a test (see BENCHMARKS.md): a simulated cluster holding N objects answers a
 * label-selected list and a GET, over loopback HTTP as a client sees it, and in-process from the
 * store. Prints median and 99th percentile of each.
 *
 * <p>Arguments: objects (10000), iterations (2000).
 */
public final class SimulatorBenchmark {

  public static void main(String[] args) throws Exception {
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int namespaces = 100;
    ResourceType configMaps = BuiltinTypes.of("", "configmaps");
    ResourceType deployments = BuiltinTypes.of("apps", "deployments");
    try (SimulatedCluster cluster =
        SimulatedCluster.start("bench", SimulatedClusterOptions.defaults().withoutControllers())) {
      ObjectStore store = cluster.store();
      long fill = System.nanoTime();
      for (int n = 0; n < namespaces; n++) {
        ObjectNode ns = JsonNodeFactory.instance.objectNode();
        ns.putObject("metadata").put("name", "ns-" + n);
        store.create(BuiltinTypes.NAMESPACES, ns);
      }
      for (int i = 0; i < objects; i++) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ObjectNode meta = o.putObject("metadata");
        meta.put("name", "obj-" + i);
        meta.put("namespace", "ns-" + (i % namespaces));
        meta.putObject("labels")
            .put("app", "app-" + (i % 500))
            .put("tier", i % 2 == 0 ? "front" : "back");
        if (i % 2 == 0) {
          o.putObject("data").put("key", "value-" + i);
          store.create(configMaps, o);
        } else {
          o.putObject("spec")
              .put("replicas", 1)
              .putObject("selector")
              .putObject("matchLabels")
              .put("app", "app-" + (i % 500));
          store.create(deployments, o);
        }
      }
      System.out.printf(
          "filled %d objects (+%d namespaces) in %d ms%n",
          objects, namespaces, (System.nanoTime() - fill) / 1_000_000);

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest list =
          HttpRequest.newBuilder(
                  URI.create(cluster.url() + "/api/v1/configmaps?labelSelector=app%3Dapp-42"))
              .build();
      HttpRequest setList =
          HttpRequest.newBuilder(
                  URI.create(
                      cluster.url()
                          + "/apis/apps/v1/deployments?labelSelector=app%20in%20(app-41,app-43),tier%3Dback"))
              .build();
      HttpRequest get =
          HttpRequest.newBuilder(
                  URI.create(cluster.url() + "/apis/apps/v1/namespaces/ns-1/deployments/obj-501"))
              .build();
      System.out.printf(
          "list app=app-42 returns %d bytes%n",
          http.send(list, HttpResponse.BodyHandlers.ofByteArray()).body().length);

      report(
          "HTTP list configmaps -l app=app-42 (all namespaces)",
          iterations,
          () -> http.send(list, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
      report(
          "HTTP list deployments -l 'app in (..),tier=back'",
          iterations,
          () -> http.send(setList, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
      HttpRequest nsList =
          HttpRequest.newBuilder(
                  URI.create(
                      cluster.url()
                          + "/api/v1/namespaces/ns-2/configmaps?labelSelector=app%3Dapp-2"))
              .build();
      report(
          "HTTP list configmaps -n ns-2 -l app=app-2",
          iterations,
          () -> http.send(nsList, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
      HttpRequest big =
          HttpRequest.newBuilder(
                  URI.create(cluster.url() + "/api/v1/configmaps?labelSelector=tier%3Dfront"))
              .build();
      report(
          "HTTP list configmaps -l tier=front (5,000 items)",
          Math.max(20, iterations / 20),
          () -> http.send(big, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
      report(
          "HTTP get one deployment",
          iterations,
          () -> http.send(get, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
      LabelSelector selector = LabelSelector.parse("app=app-42");
      report(
          "store list configmaps app=app-42",
          iterations,
          () -> store.list(configMaps, null, selector).size());
      report(
          "store get",
          iterations,
          () -> store.get(deployments, "ns-1", "obj-501").isPresent() ? 1 : 0);
    }
  }

  private static void report(String what, int iterations, Callable<Object> call) throws Exception {
    for (int i = 0; i < Math.min(500, iterations); i++) {
      call.call();
    }
    long[] nanos = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      long t = System.nanoTime();
      call.call();
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "%-55s median %7.3f ms   p99 %7.3f ms   max %7.3f ms%n",
        what,
        nanos[iterations / 2] / 1e6,
        nanos[(int) (iterations * 0.99)] / 1e6,
        nanos[iterations - 1] / 1e6);
  }
}
