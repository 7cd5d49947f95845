package dev.flotilla.agent.reconcile.source;

import dev.flotilla.render.RenderSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code ref} names of a multi-source Application's sources, checked where the spec enters. */
public final class SourceRefs {

  private SourceRefs() {}

  /**
   * Refuses refs the agent could not resolve unambiguously: a name that holds a {@code /} or a
   * {@code $} (it could never be written as {@code $name/file}), two sources with one name, or a
   * ref on a chart source (Argo CD supports refs to Git repositories only).
   *
   * @throws IllegalArgumentException naming the field
   */
  public static void check(List<RenderSource> sources) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < sources.size(); i++) {
      String ref = sources.get(i).ref();
      if (ref.isEmpty()) {
        continue;
      }
      String field = "spec.sources[" + i + "].ref";
      if (ref.contains("/") || ref.contains("$") || ref.isBlank()) {
        throw new IllegalArgumentException(
            field + " '" + ref + "' is not a valid name: it must not contain '/' or '$'");
      }
      if (sources.get(i).isChart()) {
        throw new IllegalArgumentException(
            field
                + " '"
                + ref
                + "' is on a chart source: a ref source must be a Git repository (as in Argo CD)");
      }
      Integer before = seen.putIfAbsent(ref, i);
      if (before != null) {
        throw new IllegalArgumentException(
            field + " '" + ref + "' is also the ref of spec.sources[" + before + "]");
      }
    }
  }

  /** The checkout of each named source, by {@code $name}. */
  static Map<String, SourceCheckout> byVariable(List<SourceCheckout> checkouts) {
    Map<String, SourceCheckout> refs = new HashMap<>();
    for (SourceCheckout c : checkouts) {
      if (!c.source().ref().isEmpty()) {
        refs.put("$" + c.source().ref(), c);
      }
    }
    return refs;
  }
}
