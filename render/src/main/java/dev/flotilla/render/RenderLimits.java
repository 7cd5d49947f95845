package dev.flotilla.render;

import java.time.Duration;

/**
 * Size and time limits on what a repository may make the agent read or run, so a hostile or broken
 * repository gets a clear error instead of an out-of-memory or a worker stuck for ever.
 *
 * @param maxFileBytes largest single manifest file, or output of one Helm or Kustomize render
 *     (counted while it streams: the tool is stopped as soon as it writes more)
 * @param maxTotalBytes largest sum of all manifest bytes of one Application
 * @param maxObjects most objects one Application may render
 * @param maxAliasesPerDocument YAML aliases to collections allowed per document (defeats YAML
 *     bombs)
 * @param renderTimeout how long one Helm or Kustomize render may run before its process (and
 *     everything it started) is killed; a reconcile worker waits for it meanwhile
 */
public record RenderLimits(
    long maxFileBytes,
    long maxTotalBytes,
    int maxObjects,
    int maxAliasesPerDocument,
    Duration renderTimeout) {

  /** Long enough for a chart or kustomization fetching a slow remote base, short of a stuck one. */
  public static final Duration DEFAULT_RENDER_TIMEOUT = Duration.ofSeconds(90);

  /** 8 MiB per file and 32 MiB per Application: far above real manifests, far below the heap. */
  public static final RenderLimits DEFAULT =
      new RenderLimits(8L << 20, 32L << 20, 10_000, 50, DEFAULT_RENDER_TIMEOUT);

  public RenderLimits {
    if (renderTimeout == null || renderTimeout.isNegative() || renderTimeout.isZero()) {
      throw new IllegalArgumentException("renderTimeout must be positive, not " + renderTimeout);
    }
  }

  /** The size limits with the default render timeout. */
  public RenderLimits(
      long maxFileBytes, long maxTotalBytes, int maxObjects, int maxAliasesPerDocument) {
    this(maxFileBytes, maxTotalBytes, maxObjects, maxAliasesPerDocument, DEFAULT_RENDER_TIMEOUT);
  }

  public RenderLimits withRenderTimeout(Duration timeout) {
    return new RenderLimits(
        maxFileBytes, maxTotalBytes, maxObjects, maxAliasesPerDocument, timeout);
  }

  public RenderLimits withMaxFileBytes(long bytes) {
    return new RenderLimits(bytes, maxTotalBytes, maxObjects, maxAliasesPerDocument, renderTimeout);
  }
}
