package dev.flotilla.simulator;

import dev.flotilla.simulator.api.ApiServer;
import dev.flotilla.simulator.api.ApiServerOptions;
import dev.flotilla.simulator.controller.ControllerManager;
import dev.flotilla.simulator.controller.ControllerOptions;
import dev.flotilla.simulator.controller.PodLogs;
import dev.flotilla.simulator.store.MemoryObjectStore;
import dev.flotilla.simulator.store.ObjectStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * One SIMULATED Kubernetes cluster: an in-memory object store and an API server on a free loopback
 * port that kubectl and the fabric8 client can drive. Everything it hands out says "simulated": the
 * kubeconfig's cluster, context and user are {@code simulated-NAME}, {@code /version} ends in
 * {@code -simulated}.
 *
 * <p>{@link #start} and {@link #close} wait (for the port to be bound or released): call them from
 * a main thread or a test, never from an event loop.
 */
public final class SimulatedCluster implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final String name;
  private final MemoryObjectStore store;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final List<AutoCloseable> controllers = new ArrayList<>();
  private ApiServer server;
  private ControllerManager controllerManager;

  private SimulatedCluster(String name, SimulatedClusterOptions options) {
    this.name = name;
    this.store = new MemoryObjectStore(options.clock(), options.watchHistory());
    store.createMissingNamespaces(options.createMissingNamespaces());
    this.ownsVertx = options.vertx() == null;
    this.vertx = ownsVertx ? Vertx.vertx() : options.vertx();
  }

  /** Starts a cluster named {@code name} (a DNS label: it names the kubeconfig entries). */
  public static SimulatedCluster start(String name, SimulatedClusterOptions options) {
    if (name == null || name.length() > 50 || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a simulated cluster's name must be a lowercase DNS label of at most 50 characters: "
              + name);
    }
    SimulatedCluster cluster = new SimulatedCluster(name, options);
    try {
      ApiServerOptions api = cluster.startControllers(options.api(), options.controllers());
      cluster.server =
          await(new ApiServer(cluster.vertx, cluster.store, api).listen(options.port()));
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * The one place where the controller manager (package {@code simulator.controller}) is started on
   * this cluster's store, before the API server serves; it may hand the API server its Pod log
   * source by returning {@code api.withPodLogs(...)}. Each started part goes into {@link
   * #controllers}, closed with the cluster. Without it the cluster is an API server only: nothing
   * reacts to what is written.
   */
  private ApiServerOptions startControllers(
      ApiServerOptions api, ControllerOptions controllerOptions) {
    if (controllerOptions == null) {
      return api;
    }
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "simulated-" + name + "-scheduler");
              t.setDaemon(true);
              return t;
            });
    controllers.add(scheduler::shutdownNow);
    controllerManager = ControllerManager.start(store, controllerOptions.withScheduler(scheduler));
    controllers.add(controllerManager);
    return api.withPodLogs(
        new SyntheticPodLogSource(new PodLogs(), controllerOptions.clock(), scheduler));
  }

  /** The controller manager, or null when the cluster was started without one. */
  public ControllerManager controllerManager() {
    return controllerManager;
  }

  public String name() {
    return name;
  }

  /** The API server, {@code http://127.0.0.1:PORT}. */
  public String url() {
    return server.url();
  }

  /** Every request the API server received since the last call, oldest first, "METHOD uri". */
  public List<String> drainRequests() {
    return server.drainRequests();
  }

  public ObjectStore store() {
    return store;
  }

  /** {@code simulated-NAME}: the kubeconfig's cluster, context and user. */
  public String contextName() {
    return "simulated-" + name;
  }

  /** Writes a kubeconfig for this cluster (plain HTTP, no credentials) and returns its path. */
  public Path writeKubeconfig(Path file) throws IOException {
    String ctx = contextName();
    String yaml =
        "# A SIMULATED cluster (Flotilla): not a real Kubernetes API server.\n"
            + "apiVersion: v1\n"
            + "kind: Config\n"
            + "clusters:\n"
            + "- name: "
            + ctx
            + "\n  cluster:\n    server: "
            + url()
            + "\ncontexts:\n- name: "
            + ctx
            + "\n  context:\n    cluster: "
            + ctx
            + "\n    user: "
            + ctx
            + "\n    namespace: default\n"
            + "current-context: "
            + ctx
            + "\nusers:\n- name: "
            + ctx
            + "\n  user: {}\n";
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, yaml);
    return file;
  }

  @Override
  public void close() {
    // Last started, first closed: the manager before the scheduler it runs on.
    for (int i = controllers.size() - 1; i >= 0; i--) {
      try {
        controllers.get(i).close();
      } catch (Exception e) {
        // closing one part must not keep the others, or the port, alive
      }
    }
    controllers.clear();
    try {
      if (server != null) {
        await(server.close());
      }
    } finally {
      if (ownsVertx) {
        await(vertx.close());
      }
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while starting or stopping a simulated cluster", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "the simulated cluster's API server failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the simulated cluster's API server took over 30 s", e);
    }
  }
}
