package dev.flotilla.controlplane.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Totals by cluster, project and team, summed from the visible per-Application counts. */
class DriftReportTest {

  private static final List<DriftReport.Group> GROUPS =
      List.of(
          new DriftReport.Group("east", "billing", "billing-east", 3, 1, 7),
          new DriftReport.Group("west", "billing", "billing-west", 1, 1, 1),
          new DriftReport.Group("east", "search", "search-east", 2, 0, 2),
          new DriftReport.Group("west", "infra", "infra-west", 1, 1, 4));

  private static DriftReport report(Map<String, Set<String>> teams) {
    return DriftReport.of(List.of(), GROUPS, teams, DriftQuery.all());
  }

  @Test
  void anObjectCountsOnceForEachTeamOfItsProject() {
    DriftReport r =
        report(
            Map.of(
                "billing", Set.of("payments", "platform"),
                "search", Set.of("discovery", "platform")));
    assertThat(r.byTeam())
        .containsExactly(
            new DriftTotal(DriftReport.NO_TEAM, 1, 1, 4),
            new DriftTotal("discovery", 2, 0, 2),
            new DriftTotal("payments", 4, 2, 8),
            new DriftTotal("platform", 6, 2, 10));
    assertThat(r.total()).as("objects are counted once in the total").isEqualTo(7);
  }

  @Test
  void projectsWithoutTeamsCountUnderTheNoTeamBucket() {
    DriftReport r = report(Map.of("billing", Set.of(), "search", Set.of("discovery")));
    assertThat(r.byTeam())
        .containsExactly(
            new DriftTotal(DriftReport.NO_TEAM, 5, 3, 12), new DriftTotal("discovery", 2, 0, 2));
    assertThat(DriftReport.NO_TEAM).isEqualTo("(no team)");
  }

  @Test
  void clusterAndProjectTotalsAddUpToTheTotal() {
    DriftReport r = report(Map.of());
    assertThat(r.total()).isEqualTo(7);
    assertThat(r.byCluster())
        .containsExactly(new DriftTotal("east", 5, 1, 9), new DriftTotal("west", 2, 2, 5));
    assertThat(r.byProject())
        .containsExactly(
            new DriftTotal("billing", 4, 2, 8),
            new DriftTotal("infra", 1, 1, 4),
            new DriftTotal("search", 2, 0, 2));
    assertThat(r.byTeam()).containsExactly(new DriftTotal(DriftReport.NO_TEAM, 7, 3, 14));
  }

  @Test
  void noVisibleGroupsIsAnEmptyReport() {
    DriftReport r = DriftReport.of(List.of(), List.of(), Map.of(), DriftQuery.all());
    assertThat(r.total()).isZero();
    assertThat(r.byCluster()).isEmpty();
    assertThat(r.byProject()).isEmpty();
    assertThat(r.byTeam()).isEmpty();
    assertThat(r.nextOffset()).isNull();
  }
}
