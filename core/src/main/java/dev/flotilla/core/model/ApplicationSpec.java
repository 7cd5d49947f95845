package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Argo CD's {@code Application.spec}.
 *
 * @param project {@code project}, null when absent
 * @param source the single source, null when absent (multi-source Applications use sources)
 * @param sources {@code sources} of a multi-source Application, empty when absent
 * @param destination never null; all fields null when absent
 * @param syncPolicy null when absent (a manually synced Application)
 * @param unknown fields the model does not know (revisionHistoryLimit, info...), kept as they are
 */
public record ApplicationSpec(
    String project,
    Source source,
    List<Source> sources,
    Destination destination,
    SyncPolicy syncPolicy,
    List<IgnoreDifference> ignoreDifferences,
    ObjectNode unknown) {

  public static final ApplicationSpec EMPTY =
      new ApplicationSpec(null, null, List.of(), null, null, List.of(), null);

  public ApplicationSpec {
    sources = Nodes.list(sources);
    destination = destination == null ? Destination.NONE : destination;
    ignoreDifferences = Nodes.list(ignoreDifferences);
    unknown = Nodes.copy(unknown);
  }

  /** Parses a {@code spec}; see {@link ApplicationParser#parseSpec(JsonNode)}. */
  public static ApplicationSpec parse(JsonNode spec) {
    return ApplicationParser.parseSpec(spec);
  }

  public ObjectNode toJson() {
    return ApplicationWriter.writeSpec(this);
  }

  /** Every source: the single one first, then those of {@code sources}. */
  public List<Source> allSources() {
    List<Source> all = new ArrayList<>();
    if (source != null) {
      all.add(source);
    }
    all.addAll(sources);
    return List.copyOf(all);
  }

  /** This spec with another sync policy (null: manual). */
  public ApplicationSpec withSyncPolicy(SyncPolicy policy) {
    return new ApplicationSpec(
        project, source, sources, destination, policy, ignoreDifferences, unknown);
  }
}
