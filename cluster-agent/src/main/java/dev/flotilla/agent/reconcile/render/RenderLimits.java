package dev.flotilla.agent.reconcile.render;

/**
 * Size limits on what a repository may make the agent read, so a hostile or broken repository gets
 * a clear error instead of an out-of-memory.
 *
 * @param maxFileBytes largest single manifest file (or tool output) read
 * @param maxTotalBytes largest sum of all manifest bytes of one Application
 * @param maxObjects most objects one Application may render
 * @param maxAliasesPerDocument YAML aliases to collections allowed per document (defeats YAML
 *     bombs)
 */
public record RenderLimits(
    long maxFileBytes, long maxTotalBytes, int maxObjects, int maxAliasesPerDocument) {

  /** 8 MiB per file and 32 MiB per Application: far above real manifests, far below the heap. */
  public static final RenderLimits DEFAULT = new RenderLimits(8L << 20, 32L << 20, 10_000, 50);
}
