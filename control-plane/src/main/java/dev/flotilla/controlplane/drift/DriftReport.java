package dev.flotilla.controlplane.drift;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fleet-wide drift report: one page of drifted objects, newest first, and totals over all
 * objects that match the filters (not only this page).
 *
 * @param items this page
 * @param total objects matching the filters
 * @param byCluster totals per cluster, sorted by name
 * @param byProject totals per project, sorted by name
 * @param byTeam totals per team, sorted by name: an object counts once for each team of its project
 *     (so these may add up to more than {@code total}); objects of projects without a team count
 *     under {@link #NO_TEAM}
 * @param nextPageToken pass as {@code pageToken} for the next page; empty on the last one
 * @param outOfSyncApplications Applications matching the filters that the caller may see whose
 *     status is OutOfSync while none of their entries is open (the agent's report of their objects
 *     is on its way), sorted: the report never reads as "everything matches Git" while one is
 */
public record DriftReport(
    List<DriftedObject> items,
    long total,
    int limit,
    int offset,
    List<DriftTotal> byCluster,
    List<DriftTotal> byProject,
    List<DriftTotal> byTeam,
    String nextPageToken,
    List<String> outOfSyncApplications) {

  /**
   * The team bucket of projects that no team owns (no AppProject, or no {@code groups} in its
   * roles). Parenthesised so that it reads as a bucket, not as somebody's team.
   */
  public static final String NO_TEAM = "(no team)";

  public DriftReport {
    items = List.copyOf(items);
    byCluster = List.copyOf(byCluster);
    byProject = List.copyOf(byProject);
    byTeam = List.copyOf(byTeam);
    outOfSyncApplications = List.copyOf(outOfSyncApplications);
  }

  /** This report, noting Applications OutOfSync without an open entry. */
  public DriftReport withOutOfSyncApplications(List<String> applications) {
    return new DriftReport(
        items, total, limit, offset, byCluster, byProject, byTeam, nextPageToken, applications);
  }

  /** Counts of one Application's drift on one cluster, as the database groups them. */
  record Group(
      String cluster,
      String project,
      String application,
      long objects,
      long unhealed,
      long events) {

    DriftTotal total(String key) {
      return new DriftTotal(key, objects, unhealed, events);
    }
  }

  /**
   * @param groups only the groups the caller may see: every total is summed from these
   * @param teams teams of each project; projects without an entry (or with none) have no team
   */
  static DriftReport of(
      List<DriftedObject> items,
      List<Group> groups,
      Map<String, Set<String>> teams,
      DriftQuery query) {
    return of(items, groups, teams, query, "");
  }

  static DriftReport of(
      List<DriftedObject> items,
      List<Group> groups,
      Map<String, Set<String>> teams,
      DriftQuery query,
      String nextPageToken) {
    long total = 0;
    Map<String, DriftTotal> byCluster = new TreeMap<>();
    Map<String, DriftTotal> byProject = new TreeMap<>();
    Map<String, DriftTotal> byTeam = new TreeMap<>();
    for (Group g : groups) {
      total += g.objects();
      add(byCluster, g.cluster(), g);
      add(byProject, g.project(), g);
      Set<String> owners = teams.getOrDefault(g.project(), Set.of());
      if (owners.isEmpty()) {
        add(byTeam, NO_TEAM, g);
      }
      for (String team : owners) {
        add(byTeam, team, g);
      }
    }
    return new DriftReport(
        items,
        total,
        query.limit(),
        query.offset(),
        List.copyOf(byCluster.values()),
        List.copyOf(byProject.values()),
        List.copyOf(byTeam.values()),
        nextPageToken,
        List.of());
  }

  private static void add(Map<String, DriftTotal> totals, String key, Group g) {
    totals.merge(key, g.total(key), DriftTotal::plus);
  }

  /** Offset of the next page, or null when this is the last one. */
  public Integer nextOffset() {
    long next = (long) offset + items.size();
    return items.isEmpty() || next >= total ? null : (int) next;
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    items.forEach(i -> list.add(i.toJson()));
    return new JsonObject()
        .put("items", list)
        .put("total", total)
        .put("limit", limit)
        .put("offset", offset)
        .put("nextPageToken", nextPageToken)
        .put("nextOffset", nextOffset())
        .put("outOfSyncApplications", new JsonArray(outOfSyncApplications))
        .put(
            "totals",
            new JsonObject()
                .put("byCluster", totals(byCluster, "cluster"))
                .put("byProject", totals(byProject, "project"))
                .put("byTeam", totals(byTeam, "team")));
  }

  private static JsonArray totals(List<DriftTotal> totals, String keyName) {
    JsonArray out = new JsonArray();
    totals.forEach(t -> out.add(t.toJson(keyName)));
    return out;
  }
}
