package dev.flotilla.core.yaml;

import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Measures how large a composed SnakeYAML node graph becomes once its aliases are expanded, before
 * anything is constructed from it, and charges it against what is left for the stream.
 *
 * <p>An alias is a second reference to the same {@link Node}, so the graph stays as small as the
 * input while its expansion can be exponential. Each distinct node is measured once (memoised by
 * identity) and a parent adds up its children's expanded sizes, so the cost of measuring is linear
 * in the input however large the expansion. A merge key ({@code <<: *base}) is counted like any
 * other entry, an upper bound of what merging produces.
 */
final class ExpansionBudget {

  private static final long[] IN_PROGRESS = new long[0];

  private final YamlLimits limits;
  private long nodesLeft;
  private long bytesLeft;

  ExpansionBudget(YamlLimits limits) {
    this.limits = limits;
    this.nodesLeft = limits.maxNodes();
    this.bytesLeft = limits.maxBytes();
  }

  /**
   * Charges the expanded size of {@code root} (one document).
   *
   * @throws YamlException when the expansion, with the documents before it, passes a limit
   */
  void charge(Node root) throws YamlException {
    if (root == null) {
      return;
    }
    long[] size = measure(root, new IdentityHashMap<>());
    // A size is capped at what is left plus one: going below zero means over the limit.
    nodesLeft -= size[0];
    bytesLeft -= size[1];
    if (nodesLeft < 0) {
      throw new YamlException(
          "document expands to more than "
              + limits.maxNodes()
              + " nodes, the limit (YAML aliases?)");
    }
    if (bytesLeft < 0) {
      throw new YamlException(
          "document expands to more than "
              + limits.maxBytes()
              + " bytes of text, the limit (YAML aliases?)");
    }
  }

  /** {nodes, bytes} of the expansion of {@code node}, saturating at the budget left plus one. */
  private long[] measure(Node node, Map<Node, long[]> memo) throws YamlException {
    long[] known = memo.get(node);
    if (known == IN_PROGRESS) {
      throw new YamlException("document refers to itself through an alias (a recursive structure)");
    }
    if (known != null) {
      return known;
    }
    memo.put(node, IN_PROGRESS);
    long nodes = 1;
    long bytes = 0;
    if (node instanceof ScalarNode scalar) {
      bytes = utf8Length(scalar.getValue());
    } else if (node instanceof SequenceNode sequence) {
      for (Node item : sequence.getValue()) {
        long[] child = measure(item, memo);
        nodes = cap(nodes + child[0], nodesLeft);
        bytes = cap(bytes + child[1], bytesLeft);
      }
    } else if (node instanceof MappingNode mapping) {
      for (NodeTuple entry : mapping.getValue()) {
        long[] key = measure(entry.getKeyNode(), memo);
        long[] value = measure(entry.getValueNode(), memo);
        nodes = cap(nodes + key[0] + value[0], nodesLeft);
        bytes = cap(bytes + key[1] + value[1], bytesLeft);
      }
    }
    long[] size = {cap(nodes, nodesLeft), cap(bytes, bytesLeft)};
    memo.put(node, size);
    return size;
  }

  /**
   * Anything past the budget is refused anyway: capping keeps every sum far from overflowing (each
   * term is at most the budget plus one, and a node has at most as many children as input bytes).
   */
  private static long cap(long value, long left) {
    return Math.min(value, Math.max(left, 0) + 1);
  }

  private static long utf8Length(String s) {
    long bytes = s.length();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x800 && !Character.isSurrogate(c)) {
        bytes += 2;
      } else if (c >= 0x80) {
        // Two-byte characters, and each half of a surrogate pair (4 bytes for the pair).
        bytes += 1;
      }
    }
    return bytes;
  }
}
