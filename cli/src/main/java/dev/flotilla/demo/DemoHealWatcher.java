package dev.flotilla.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.BuiltinTypes;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.simulator.store.WatchEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Shows the demo's user self-heal at work: a Deployment changed by hand on a simulated cluster
 * ({@code kubectl edit}, {@code kubectl scale}) and put back by its agent is reported with the time
 * it took. It watches the simulated clusters' stores directly (the demo owns them); a change that a
 * commit brought is taken as the new normal ({@link #settle}).
 */
public final class DemoHealWatcher implements AutoCloseable {

  private static final Duration FORGET_AFTER = Duration.ofMinutes(2);

  /** The spec last seen at rest, and the pending change away from it. */
  private static final class Tracked {
    JsonNode settled;
    long changedAt;
    String change;
  }

  private static final ResourceType DEPLOYMENTS = BuiltinTypes.of("apps", "deployments");

  private final List<SimulatedCluster> clusters;
  private final PrintStream out;
  private final Map<String, Tracked> deployments = new ConcurrentHashMap<>();
  private final List<AutoCloseable> watches = new ArrayList<>();
  private final ExecutorService printer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "demo-heal-watcher");
            t.setDaemon(true);
            return t;
          });

  DemoHealWatcher(List<SimulatedCluster> clusters, PrintStream out) {
    this.out = out;
    this.clusters = List.copyOf(clusters);
    for (SimulatedCluster cluster : clusters) {
      watches.add(cluster.simulator().store().watch(DEPLOYMENTS, e -> seen(cluster.name(), e)));
    }
    settle();
  }

  private static String key(String cluster, ObjectNode d) {
    JsonNode meta = d.path("metadata");
    return cluster + "/" + meta.path("namespace").asText() + "/" + meta.path("name").asText();
  }

  /**
   * Takes every Deployment's current spec as the one at rest: at start, and after a commit was
   * applied (its changes are Git's, not a hand's).
   */
  public synchronized void settle() {
    deployments.clear();
    for (SimulatedCluster cluster : clusters) {
      ObjectStore store = cluster.simulator().store();
      for (ObjectNode d : store.list(DEPLOYMENTS, null, o -> true)) {
        deployments.computeIfAbsent(key(cluster.name(), d), k -> new Tracked()).settled =
            d.path("spec").deepCopy();
      }
    }
  }

  // Runs on the writer's thread: decide quickly, print elsewhere.
  private synchronized void seen(String cluster, WatchEvent event) {
    ObjectNode d = event.object();
    JsonNode meta = d.path("metadata");
    String key = key(cluster, d);
    if (event.type() == WatchEvent.Type.DELETED) {
      deployments.remove(key);
      return;
    }
    JsonNode spec = d.path("spec");
    Tracked t = deployments.computeIfAbsent(key, k -> new Tracked());
    long now = System.nanoTime();
    if (t.settled == null || (t.changedAt != 0 && now - t.changedAt > FORGET_AFTER.toNanos())) {
      t.settled = spec.deepCopy();
      t.changedAt = 0;
      return;
    }
    if (spec.equals(t.settled)) {
      if (t.changedAt != 0) {
        long millis = (now - t.changedAt) / 1_000_000;
        String what = t.change;
        t.changedAt = 0;
        printer.execute(
            () ->
                out.printf(
                    "==> self-heal on %s: Deployment %s/%s was changed by hand (%s) and put back"
                        + " to Git's version %d ms later%n",
                    cluster,
                    meta.path("namespace").asText(),
                    meta.path("name").asText(),
                    what,
                    millis));
      }
    } else if (t.changedAt == 0) {
      t.changedAt = now;
      t.change = describe(t.settled, spec);
    }
  }

  /** What changed, in the words of the usual edits: replicas and images. */
  static String describe(JsonNode before, JsonNode after) {
    List<String> changes = new ArrayList<>();
    if (!before.path("replicas").equals(after.path("replicas"))) {
      changes.add(
          "replicas " + before.path("replicas").asText() + " → " + after.path("replicas").asText());
    }
    JsonNode a = before.path("template").path("spec").path("containers");
    JsonNode b = after.path("template").path("spec").path("containers");
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (!a.get(i).path("image").equals(b.get(i).path("image"))) {
        changes.add(
            "image " + a.get(i).path("image").asText() + " → " + b.get(i).path("image").asText());
      }
    }
    return changes.isEmpty() ? "spec changed" : String.join(", ", changes);
  }

  @Override
  public void close() {
    for (AutoCloseable w : watches) {
      try {
        w.close();
      } catch (Exception e) {
        // the cluster is going away anyway
      }
    }
    printer.shutdownNow();
  }
}
