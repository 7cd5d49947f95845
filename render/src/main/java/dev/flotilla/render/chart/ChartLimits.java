package dev.flotilla.render.chart;

import java.time.Duration;

/**
 * Bounds on fetching one chart, so that a slow or hostile repository costs a clear error rather
 * than a stuck worker, a full disk or an out-of-memory.
 *
 * @param timeout the deadline of each request (headers and body), after a connect timeout of at
 *     most 10 s
 * @param maxIndexBytes the largest {@code index.yaml}, tag list or manifest read
 * @param maxArchiveBytes the largest packaged chart ({@code .tgz}) downloaded
 * @param maxExpandedBytes the most bytes a chart may unpack to (Helm's own default: 100 MiB)
 * @param maxFileBytes the largest single file in a chart (Helm's own default: 5 MiB)
 * @param maxFiles the most files a chart may hold
 */
public record ChartLimits(
    Duration timeout,
    long maxIndexBytes,
    long maxArchiveBytes,
    long maxExpandedBytes,
    long maxFileBytes,
    int maxFiles) {

  public static final ChartLimits DEFAULT =
      new ChartLimits(Duration.ofSeconds(60), 64L << 20, 20L << 20, 100L << 20, 5L << 20, 10_000);

  public ChartLimits withTimeout(Duration t) {
    return new ChartLimits(
        t, maxIndexBytes, maxArchiveBytes, maxExpandedBytes, maxFileBytes, maxFiles);
  }

  public ChartLimits withMaxArchiveBytes(long bytes) {
    return new ChartLimits(timeout, maxIndexBytes, bytes, maxExpandedBytes, maxFileBytes, maxFiles);
  }
}
