package dev.flotilla.core.yaml;

/**
 * The bounds {@link BoundedYaml} enforces. Both limits are measured on the document <em>as
 * expanded</em> (every alias counted as a full copy of what it points to), because that is what
 * ends up in memory, in the database and on the wire: a 600-byte document with 48 aliases can
 * expand to tens of millions of nodes.
 *
 * @param maxBytes the largest input accepted, in UTF-8 bytes, and also the most scalar text (keys
 *     and values, UTF-8 bytes, every alias occurrence counted) the expanded document may hold
 * @param maxNodes the most nodes (mappings, sequences and scalars, keys included) the expanded
 *     document may hold; for a multi-document stream, all documents together
 * @param maxAliases the most aliases to collections per stream (SnakeYAML's own, cheaper, first
 *     line of defence)
 */
public record YamlLimits(int maxBytes, int maxNodes, int maxAliases) {

  /** No document needs fewer nodes than this to be refused: real files stay well below. */
  public static final int MIN_NODES = 100_000;

  public YamlLimits {
    if (maxBytes <= 0 || maxNodes <= 0 || maxAliases < 0) {
      throw new IllegalArgumentException(
          "YAML limits must be positive: " + maxBytes + " bytes, " + maxNodes + " nodes");
    }
  }

  /**
   * The limits for documents of at most {@code maxBytes}: the same number of expanded scalar bytes,
   * {@code max(100,000, maxBytes / 4)} nodes (real YAML spends well over 4 bytes per node; 4 MiB
   * gives a million nodes, some 100 MB of Jackson tree at most) and 50 aliases to collections.
   */
  public static YamlLimits forBytes(int maxBytes) {
    return new YamlLimits(
        maxBytes, Math.max(MIN_NODES, maxBytes / 4), BoundedYaml.MAX_ALIASES_FOR_COLLECTIONS);
  }
}
