package dev.flotilla.controlplane.drift;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/** The teams of each project, for the per-team drift totals. */
@FunctionalInterface
public interface ProjectTeams {

  /** No project has a team: everything counts under {@link DriftReport#NO_TEAM}. */
  ProjectTeams NONE = projects -> Future.succeededFuture(Map.of());

  /**
   * The teams of each of {@code projects} that has any; a project missing from the answer has none.
   */
  Future<Map<String, Set<String>>> of(Set<String> projects);

  /** A fixed mapping (tests, benchmarks). */
  static ProjectTeams fixed(Map<String, Set<String>> teams) {
    Map<String, Set<String>> copy = Map.copyOf(teams);
    return projects -> Future.succeededFuture(copy);
  }
}
