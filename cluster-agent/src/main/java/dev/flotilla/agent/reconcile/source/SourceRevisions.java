package dev.flotilla.agent.reconcile.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The revision of a multi-source Application as one text: each source's revision in order, joined
 * by commas (Argo CD's {@code status.sync.revisions}, flattened). It is what the agent compares to
 * tell a new target from the one it applied, and what a manual sync may name to pin the sources.
 */
public final class SourceRevisions {

  private SourceRevisions() {}

  public static String join(List<String> revisions) {
    return String.join(",", revisions);
  }

  /**
   * The revision wanted for each of {@code count} sources from a joined text; an empty or missing
   * entry means "the source's own targetRevision".
   *
   * @throws IllegalArgumentException when it names more revisions than there are sources
   */
  public static List<String> split(String joined, int count) {
    List<String> out = new ArrayList<>();
    if (joined != null && !joined.isEmpty()) {
      out.addAll(Arrays.asList(joined.split(",", -1)));
    }
    if (out.size() > count) {
      throw new IllegalArgumentException(
          "revision '"
              + joined
              + "' names "
              + out.size()
              + " revisions, but the Application has "
              + count
              + " sources");
    }
    while (out.size() < count) {
      out.add("");
    }
    return out.stream().map(String::trim).toList();
  }
}
