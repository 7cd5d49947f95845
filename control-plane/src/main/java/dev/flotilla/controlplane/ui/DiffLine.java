package dev.flotilla.controlplane.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of an object's unified diff as the Diff tab colours it.
 *
 * @param kind {@code del} (live only), {@code add} (Git only), {@code hunk}, {@code head} or {@code
 *     same}
 */
public record DiffLine(String kind, String text) {

  /** The agent's unified diff (live first, then desired from Git), line by line. */
  public static List<DiffLine> of(String unified) {
    List<DiffLine> out = new ArrayList<>();
    if (unified == null || unified.isEmpty()) {
      return out;
    }
    for (String line : unified.split("\n", -1)) {
      if (line.startsWith("---") || line.startsWith("+++")) {
        out.add(new DiffLine("head", line));
      } else if (line.startsWith("@@")) {
        out.add(new DiffLine("hunk", line));
      } else if (line.startsWith("-")) {
        out.add(new DiffLine("del", line));
      } else if (line.startsWith("+")) {
        out.add(new DiffLine("add", line));
      } else if (!line.isEmpty()) {
        out.add(new DiffLine("same", line));
      }
    }
    return out;
  }
}
