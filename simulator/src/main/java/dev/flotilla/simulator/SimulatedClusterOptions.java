package dev.flotilla.simulator;

import dev.flotilla.simulator.api.ApiServerOptions;
import dev.flotilla.simulator.controller.ControllerOptions;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * How to start a {@link SimulatedCluster}.
 *
 * @param vertx the Vert.x to serve on, or null for one of the cluster's own (closed with it)
 * @param api the API server's options (patch engine, pod logs, bookmarks, body limit)
 * @param clock timestamps of the objects
 * @param port the port on 127.0.0.1, 0 for a free one
 * @param watchHistory how many recent writes a watch can resume from (older: 410 Expired)
 * @param controllers the controller manager's options (Deployments get ReplicaSets and Pods, …), or
 *     null for an API server that nothing reacts to
 * @param createMissingNamespaces whether a write into a missing namespace creates it (tests only; a
 *     real API server answers 404)
 */
public record SimulatedClusterOptions(
    Vertx vertx,
    ApiServerOptions api,
    Clock clock,
    int port,
    int watchHistory,
    ControllerOptions controllers,
    boolean createMissingNamespaces) {

  public static SimulatedClusterOptions defaults() {
    return new SimulatedClusterOptions(
        null,
        ApiServerOptions.defaults(),
        Clock.systemUTC(),
        0,
        10_000,
        ControllerOptions.defaults(),
        false);
  }

  /** With the controller manager's options (e.g. a shorter pod ready delay for tests). */
  public SimulatedClusterOptions withControllers(ControllerOptions c) {
    return new SimulatedClusterOptions(
        vertx, api, clock, port, watchHistory, c, createMissingNamespaces);
  }

  /**
   * Writes into a namespace that does not exist create it, instead of the 404 a real API server
   * answers: for test fleets whose Applications do not all ask for {@code CreateNamespace=true}.
   */
  public SimulatedClusterOptions withMissingNamespacesCreated() {
    return new SimulatedClusterOptions(vertx, api, clock, port, watchHistory, controllers, true);
  }

  /** An API server alone: no controller reacts to what is written. */
  public SimulatedClusterOptions withoutControllers() {
    return new SimulatedClusterOptions(
        vertx, api, clock, port, watchHistory, null, createMissingNamespaces);
  }

  public SimulatedClusterOptions withVertx(Vertx v) {
    return new SimulatedClusterOptions(
        v, api, clock, port, watchHistory, controllers, createMissingNamespaces);
  }

  public SimulatedClusterOptions withApi(ApiServerOptions a) {
    return new SimulatedClusterOptions(
        vertx, a, clock, port, watchHistory, controllers, createMissingNamespaces);
  }

  public SimulatedClusterOptions withClock(Clock c) {
    return new SimulatedClusterOptions(
        vertx,
        api.withClock(c),
        c,
        port,
        watchHistory,
        controllers == null ? null : controllers.withClock(c),
        createMissingNamespaces);
  }

  public SimulatedClusterOptions withWatchHistory(int writes) {
    return new SimulatedClusterOptions(
        vertx, api, clock, port, writes, controllers, createMissingNamespaces);
  }
}
