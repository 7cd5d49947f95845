package dev.flotilla.simulator;

import dev.flotilla.simulator.api.ApiServerOptions;
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
 */
public record SimulatedClusterOptions(
    Vertx vertx, ApiServerOptions api, Clock clock, int port, int watchHistory) {

  public static SimulatedClusterOptions defaults() {
    return new SimulatedClusterOptions(
        null, ApiServerOptions.defaults(), Clock.systemUTC(), 0, 10_000);
  }

  public SimulatedClusterOptions withVertx(Vertx v) {
    return new SimulatedClusterOptions(v, api, clock, port, watchHistory);
  }

  public SimulatedClusterOptions withApi(ApiServerOptions a) {
    return new SimulatedClusterOptions(vertx, a, clock, port, watchHistory);
  }

  public SimulatedClusterOptions withClock(Clock c) {
    return new SimulatedClusterOptions(vertx, api.withClock(c), c, port, watchHistory);
  }

  public SimulatedClusterOptions withWatchHistory(int writes) {
    return new SimulatedClusterOptions(vertx, api, clock, port, writes);
  }
}
