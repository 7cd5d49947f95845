package dev.flotilla.controlplane.ui;

import dev.flotilla.proto.agent.v1.ObjectDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sync's dry run: what it would create, update and delete, read from the agent's per-object diff
 * (the data {@code flotilla app diff} shows), applying nothing. An object Git no longer has is
 * deleted only by a sync that prunes.
 *
 * @param counts how many objects per change, in {@link #ORDER}
 */
public record SyncPreview(List<PreviewRow> rows, Map<String, Integer> counts) {

  /** The changes in the order the preview lists them: what the sync does first. */
  public static final List<String> ORDER =
      List.of("create", "update", "delete", "keep", "unchanged");

  public static SyncPreview of(List<ObjectDiff> diffs, boolean prune) {
    List<PreviewRow> rows = new ArrayList<>();
    for (ObjectDiff d : diffs) {
      String change;
      if (d.getDesiredYaml().isEmpty()) {
        change = prune ? "delete" : "keep";
      } else if (d.getLiveYaml().isEmpty()) {
        change = "create";
      } else {
        change = d.getModified() ? "update" : "unchanged";
      }
      rows.add(
          new PreviewRow(
              d.getRef().getKind(),
              d.getRef().getNamespace(),
              d.getRef().getName(),
              change,
              change.equals("update") ? d.getUnifiedDiff() : ""));
    }
    rows.sort(
        (a, b) -> {
          int byChange = Integer.compare(ORDER.indexOf(a.change()), ORDER.indexOf(b.change()));
          if (byChange != 0) {
            return byChange;
          }
          int byKind = a.kind().compareTo(b.kind());
          return byKind != 0
              ? byKind
              : (a.namespace() + "/" + a.name()).compareTo(b.namespace() + "/" + b.name());
        });
    Map<String, Integer> counts = new TreeMap<>();
    rows.forEach(r -> counts.merge(r.change(), 1, Integer::sum));
    return new SyncPreview(List.copyOf(rows), counts);
  }

  /** Whether the sync would change anything at all. */
  public boolean changes() {
    return rows.stream()
        .anyMatch(r -> !r.change().equals("unchanged") && !r.change().equals("keep"));
  }

  public int count(String change) {
    return counts.getOrDefault(change, 0);
  }
}
