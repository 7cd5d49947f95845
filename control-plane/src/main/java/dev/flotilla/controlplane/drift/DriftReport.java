package dev.flotilla.controlplane.drift;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The fleet-wide drift report: one page of drifted objects, newest first, and totals over all
 * objects that match the filters (not only this page).
 *
 * @param items this page
 * @param total objects matching the filters
 * @param byCluster totals per cluster, sorted by name
 * @param byProject totals per project, sorted by name
 * @param byTeam totals per team, sorted by name; projects no team owns count under {@link #NO_TEAM}
 */
public record DriftReport(
    List<DriftedObject> items,
    long total,
    int limit,
    int offset,
    List<DriftTotal> byCluster,
    List<DriftTotal> byProject,
    List<DriftTotal> byTeam) {

  /** Team of projects missing from the project → team mapping. */
  public static final String NO_TEAM = "";

  public DriftReport {
    items = List.copyOf(items);
    byCluster = List.copyOf(byCluster);
    byProject = List.copyOf(byProject);
    byTeam = List.copyOf(byTeam);
  }

  /** Counts of one (cluster, project) pair, as the database groups them. */
  record Group(String cluster, String project, long objects, long unhealed, long events) {}

  static DriftReport of(
      List<DriftedObject> items, List<Group> groups, Map<String, String> teams, DriftQuery query) {
    long total = groups.stream().mapToLong(Group::objects).sum();
    return new DriftReport(
        items,
        total,
        query.limit(),
        query.offset(),
        sum(groups, Group::cluster),
        sum(groups, Group::project),
        sum(groups, g -> teams.getOrDefault(g.project(), NO_TEAM)));
  }

  private static List<DriftTotal> sum(List<Group> groups, Function<Group, String> key) {
    Map<String, DriftTotal> totals = new TreeMap<>();
    for (Group g : groups) {
      String k = key.apply(g);
      totals.merge(k, new DriftTotal(k, g.objects(), g.unhealed(), g.events()), DriftTotal::plus);
    }
    return List.copyOf(totals.values());
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
        .put("nextOffset", nextOffset())
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
