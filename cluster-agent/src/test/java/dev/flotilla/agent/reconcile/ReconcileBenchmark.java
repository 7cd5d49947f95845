package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.drift.Drift;
import dev.flotilla.agent.reconcile.drift.DriftWatcher;
import dev.flotilla.agent.reconcile.health.HealthAssessor.StatuslessWorkloads;
import dev.flotilla.render.TestCheckout;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Measures the reconcile engine against the fabric8 mock API server (in this JVM, over loopback
 * HTTP): how fast a manual edit is reverted, and how long a full resync of 200 Applications / 2,000
 * objects takes and how much heap it needs. Not a unit test: run it with {@code main}, see
 * BENCHMARKS.md.
 *
 * <p>Arguments: {@code [edits=300] [apps=200] [objectsPerApp=10] [workers=4]}.
 */
public final class ReconcileBenchmark {

  private ReconcileBenchmark() {}

  public static void main(String[] args) throws Exception {
    QuietMockServer.quiet();
    int edits = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int apps = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int perApp = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int workers = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    System.out.printf(
        "JVM %s, max heap %d MiB, %d CPUs%n",
        System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());

    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(Collections.emptyList()),
            false);
    server.init();
    try (KubernetesClient agent = server.createClient();
        KubernetesClient human = server.createClient();
        TestCheckout repo = new TestCheckout()) {
      editToRevert(agent, human, repo, edits);
      commitToApplied(agent, repo, 50, 20);
      fullResync(agent, repo, apps, perApp, workers);
    } finally {
      server.destroy();
    }
  }

  /** A person edits a managed Deployment; the watcher must put it back. */
  static void editToRevert(
      KubernetesClient agent, KubernetesClient human, TestCheckout repo, int edits)
      throws Exception {
    String ns = "bench-heal";
    human
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    repo.write("heal/deploy.yaml", deployment("web", 2));
    ApplicationReconciler reconciler =
        new ApplicationReconciler(
            agent,
            ReconcilerOptions.defaults().withStatuslessWorkloads(StatuslessWorkloads.HEALTHY));
    LinkedBlockingQueue<Long> healedAt = new LinkedBlockingQueue<>();
    AppSpec app =
        AppSpec.parse(
            "heal",
            "default",
            "{\"source\":{\"path\":\"heal\"},\"destination\":{\"namespace\":\""
                + ns
                + "\"},\"syncPolicy\":{\"automated\":{\"prune\":true,\"selfHeal\":true}}}");
    // Self-heal is a reconcile of the whole Application, serialised as the agent's queue does.
    java.util.concurrent.ExecutorService queue =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (DriftWatcher watcher =
        new DriftWatcher(
                reconciler,
                (Drift d) -> {
                  if (d.healed()) {
                    healedAt.add(System.nanoTime());
                  }
                },
                a -> queue.execute(() -> reconciler.reconcile(app, repo.root, "r1", true)))
            .start()) {
      ReconcileResult r = reconciler.reconcile(app, repo.root, "r1", true);
      if (r.failed()) {
        throw new IllegalStateException(r.message());
      }
      long[] latencies = new long[edits];
      for (int i = 0; i < edits; i++) {
        long start = System.nanoTime();
        human
            .apps()
            .deployments()
            .inNamespace(ns)
            .withName("web")
            .patch(
                PatchContext.of(PatchType.JSON),
                "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":" + (10 + i) + "}]");
        Long healed = healedAt.poll(10, TimeUnit.SECONDS);
        if (healed == null) {
          throw new IllegalStateException("edit " + i + " was not reverted within 10 s");
        }
        latencies[i] = healed - start;
      }
      int replicas =
          human.apps().deployments().inNamespace(ns).withName("web").get().getSpec().getReplicas();
      java.util.Arrays.sort(latencies);
      // The first edits warm up the JIT; report them in the distribution all the same.
      System.out.printf(
          "edit->reverted over %d edits: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms"
              + " (final replicas %d, desired 2)%n",
          edits,
          pct(latencies, 50),
          pct(latencies, 90),
          pct(latencies, 99),
          latencies[edits - 1] / 1e6,
          replicas);
    } finally {
      queue.shutdownNow();
    }
  }

  /** A new revision changes every object of a 50-object Application; how long until applied. */
  static void commitToApplied(KubernetesClient agent, TestCheckout repo, int objects, int commits)
      throws Exception {
    String ns = "bench-commit";
    agent
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    ApplicationReconciler reconciler =
        new ApplicationReconciler(
            agent,
            ReconcilerOptions.defaults().withStatuslessWorkloads(StatuslessWorkloads.HEALTHY));
    AppSpec app =
        AppSpec.parse(
            "commit",
            "default",
            "{\"source\":{\"path\":\"commit\"},\"destination\":{\"namespace\":\""
                + ns
                + "\"},\"syncPolicy\":{\"automated\":{\"prune\":true,\"selfHeal\":true}}}");
    try (DriftWatcher watcher = new DriftWatcher(reconciler, d -> {}, a -> {}).start()) {
      long[] latencies = new long[commits];
      for (int c = 0; c <= commits; c++) {
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < objects; i++) {
          all.append(TestCheckout.configMap("cfg-" + i, "revision", "r" + c)).append("---\n");
        }
        repo.write("commit/all.yaml", all.toString());
        long start = System.nanoTime();
        ReconcileResult r = reconciler.reconcile(app, repo.root, "r" + c, true);
        long took = System.nanoTime() - start;
        if (r.failed()) {
          throw new IllegalStateException(r.message());
        }
        if (c > 0) {
          latencies[c - 1] = took; // c = 0 creates; every later commit patches all objects
        }
      }
      java.util.Arrays.sort(latencies);
      System.out.printf(
          "new revision -> applied, %d-object app, every object changed, %d commits:"
              + " p50 %.1f ms, max %.1f ms%n",
          objects, commits, pct(latencies, 50), latencies[commits - 1] / 1e6);
    }
  }

  /** 200 Applications of 10 objects: first sync (creates everything), then resyncs (no changes). */
  static void fullResync(
      KubernetesClient agent, TestCheckout repo, int apps, int perApp, int workers)
      throws Exception {
    List<AppSpec> specs = new ArrayList<>();
    for (int a = 0; a < apps; a++) {
      String name = "app-" + a;
      String ns = "bench-" + a;
      agent
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      StringBuilder manifests = new StringBuilder();
      manifests.append(deployment("web", 2)).append("---\n");
      manifests.append(
          "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n"
              + "  ports:\n  - port: 80\n    targetPort: 8080\n---\n");
      for (int i = 2; i < perApp; i++) {
        manifests.append(TestCheckout.configMap("cfg-" + i, "key", "value-" + i, "app", name));
        manifests.append("---\n");
      }
      repo.write("apps/" + name + "/all.yaml", manifests.toString());
      specs.add(
          AppSpec.parse(
              name,
              "default",
              "{\"source\":{\"path\":\"apps/"
                  + name
                  + "\"},\"destination\":{\"namespace\":\""
                  + ns
                  + "\"},\"syncPolicy\":{\"automated\":{\"prune\":true,\"selfHeal\":true}}}"));
    }
    ApplicationReconciler reconciler =
        new ApplicationReconciler(
            agent,
            ReconcilerOptions.defaults().withStatuslessWorkloads(StatuslessWorkloads.HEALTHY));
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try (DriftWatcher watcher = new DriftWatcher(reconciler, d -> {}, a -> {}).start()) {
      for (int round = 0; round < 5; round++) {
        if (round == 4) {
          // What a resync costs when every read goes to the API server (no watch cache).
          reconciler.useLiveCache(null);
        }
        long start = System.nanoTime();
        List<Future<ReconcileResult>> results = new ArrayList<>();
        for (AppSpec spec : specs) {
          results.add(pool.submit(() -> reconciler.reconcile(spec, repo.root, "r1", true)));
        }
        int failed = 0;
        int synced = 0;
        for (Future<ReconcileResult> f : results) {
          ReconcileResult r = f.get();
          failed += r.failed() ? 1 : 0;
          synced += r.sync() == dev.flotilla.agent.reconcile.SyncState.SYNCED ? 1 : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
        System.out.printf(
            "%s of %d apps / %d objects with %d workers: %.2f s (%d synced, %d failed),"
                + " heap used after GC %d MiB%n",
            round == 0
                ? "first sync"
                : round == 4 ? "full resync without watch cache" : "full resync " + round,
            apps,
            apps * perApp,
            workers,
            seconds,
            synced,
            failed,
            heap);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static String deployment(String name, int replicas) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
        + name
        + "\nspec:\n  replicas: "
        + replicas
        + "\n  selector:\n    matchLabels: {app: "
        + name
        + "}\n  template:\n    metadata:\n      labels: {app: "
        + name
        + "}\n    spec:\n      containers:\n      - name: "
        + name
        + "\n        image: nginx:1.27\n        ports:\n        - containerPort: 8080\n"
        + "        resources:\n          requests: {cpu: 100m, memory: 64Mi}\n";
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
