package dev.flotilla.simulator.api;

import java.time.Clock;
import java.time.Duration;

/**
 * How a simulated API server behaves beyond the store.
 *
 * @param patchEngine PATCH by Content-Type (the default: every type kubectl sends)
 * @param podLogs where {@code pods/{name}/log} reads lines
 * @param clock for AGE columns
 * @param bookmarkInterval how often a watch that allows bookmarks gets one
 * @param maxBodyBytes larger request bodies are refused with 413 (a real server allows ~3 MiB)
 * @param recordRequests whether every request is kept for {@code drainRequests} (tests); off, a
 *     long-running cluster (the demo) keeps nothing
 */
public record ApiServerOptions(
    PatchEngine patchEngine,
    PodLogSource podLogs,
    Clock clock,
    Duration bookmarkInterval,
    int maxBodyBytes,
    boolean recordRequests) {

  public static ApiServerOptions defaults() {
    return new ApiServerOptions(
        new StandardPatchEngine(Clock.systemUTC()),
        PodLogSource.NONE,
        Clock.systemUTC(),
        Duration.ofSeconds(10),
        3 << 20,
        false);
  }

  public ApiServerOptions withPatchEngine(PatchEngine engine) {
    return new ApiServerOptions(
        engine, podLogs, clock, bookmarkInterval, maxBodyBytes, recordRequests);
  }

  public ApiServerOptions withPodLogs(PodLogSource logs) {
    return new ApiServerOptions(
        patchEngine, logs, clock, bookmarkInterval, maxBodyBytes, recordRequests);
  }

  public ApiServerOptions withClock(Clock c) {
    return new ApiServerOptions(
        patchEngine, podLogs, c, bookmarkInterval, maxBodyBytes, recordRequests);
  }

  public ApiServerOptions withBookmarkInterval(Duration interval) {
    return new ApiServerOptions(
        patchEngine, podLogs, clock, interval, maxBodyBytes, recordRequests);
  }

  /** Keeps every request for {@code drainRequests}, for tests that prove what a client wrote. */
  public ApiServerOptions withRequestsRecorded() {
    return new ApiServerOptions(patchEngine, podLogs, clock, bookmarkInterval, maxBodyBytes, true);
  }
}
