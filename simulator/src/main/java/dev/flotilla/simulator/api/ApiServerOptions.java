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
 */
public record ApiServerOptions(
    PatchEngine patchEngine,
    PodLogSource podLogs,
    Clock clock,
    Duration bookmarkInterval,
    int maxBodyBytes) {

  public static ApiServerOptions defaults() {
    return new ApiServerOptions(
        new StandardPatchEngine(Clock.systemUTC()),
        PodLogSource.NONE,
        Clock.systemUTC(),
        Duration.ofSeconds(10),
        3 << 20);
  }

  public ApiServerOptions withPatchEngine(PatchEngine engine) {
    return new ApiServerOptions(engine, podLogs, clock, bookmarkInterval, maxBodyBytes);
  }

  public ApiServerOptions withPodLogs(PodLogSource logs) {
    return new ApiServerOptions(patchEngine, logs, clock, bookmarkInterval, maxBodyBytes);
  }

  public ApiServerOptions withClock(Clock c) {
    return new ApiServerOptions(patchEngine, podLogs, c, bookmarkInterval, maxBodyBytes);
  }

  public ApiServerOptions withBookmarkInterval(Duration interval) {
    return new ApiServerOptions(patchEngine, podLogs, clock, interval, maxBodyBytes);
  }
}
