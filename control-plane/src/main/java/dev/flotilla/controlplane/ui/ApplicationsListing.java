package dev.flotilla.controlplane.ui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Applications page's content, computed from the light rows: the caller's visible Applications
 * that match the query, their counts by sync and health, and one sorted page. Pure, so its rules
 * are table-tested.
 *
 * @param total matching Applications the caller may see
 * @param pages at least 1
 */
public record ApplicationsListing(
    List<AppSummary> items,
    int total,
    int page,
    int pages,
    Map<String, Integer> bySync,
    Map<String, Integer> byHealth) {

  /** The order of health from worst to best, as the status sort uses it. */
  private static final List<String> HEALTH_ORDER =
      List.of("Degraded", "Missing", "Progressing", "Suspended", "Unknown", "Healthy");

  private static final List<String> SYNC_ORDER = List.of("OutOfSync", "Unknown", "Synced");

  public static ApplicationsListing of(
      List<AppSummary> rows, ApplicationsQuery query, Predicate<AppSummary> visible) {
    var selector = query.labelSelector();
    String text = query.text().toLowerCase(Locale.ROOT);
    List<AppSummary> matching = new ArrayList<>();
    Map<String, Integer> bySync = counts(ApplicationsQuery.SYNC);
    Map<String, Integer> byHealth = counts(ApplicationsQuery.HEALTH);
    for (AppSummary row : rows) {
      if (!visible.test(row) || !selector.matches(row.labels()) || !containsText(row, text)) {
        continue;
      }
      matching.add(row);
      bySync.merge(row.syncStatus(), 1, Integer::sum);
      byHealth.merge(row.health(), 1, Integer::sum);
    }
    matching.sort(order(query.sort()));
    int pages = Math.max(1, (matching.size() + query.size() - 1) / query.size());
    int page = Math.min(query.page(), pages);
    int from = (page - 1) * query.size();
    List<AppSummary> items = matching.subList(from, Math.min(matching.size(), from + query.size()));
    return new ApplicationsListing(
        List.copyOf(items), matching.size(), page, pages, bySync, byHealth);
  }

  private static Map<String, Integer> counts(List<String> keys) {
    Map<String, Integer> out = new LinkedHashMap<>();
    keys.forEach(k -> out.put(k, 0));
    return out;
  }

  private static boolean containsText(AppSummary row, String text) {
    if (text.isEmpty()) {
      return true;
    }
    for (String field :
        List.of(row.name(), row.project(), row.cluster(), row.applicationSet(), row.repoUrl())) {
      if (field.toLowerCase(Locale.ROOT).contains(text)) {
        return true;
      }
    }
    return false;
  }

  static Comparator<AppSummary> order(ApplicationsQuery.Sort sort) {
    Comparator<AppSummary> byName = Comparator.comparing(AppSummary::name);
    return switch (sort) {
      case NAME -> byName;
      // Most recent first; never synced last.
      case LAST_SYNC ->
          Comparator.comparing(
                  AppSummary::lastSyncedAt, Comparator.nullsLast(Comparator.reverseOrder()))
              .thenComparing(byName);
      // What needs attention first: worst health, then out of sync.
      case STATUS ->
          Comparator.comparingInt((AppSummary a) -> rank(HEALTH_ORDER, a.health()))
              .thenComparingInt(a -> rank(SYNC_ORDER, a.syncStatus()))
              .thenComparing(byName);
    };
  }

  private static int rank(List<String> order, String value) {
    int i = order.indexOf(value);
    return i < 0 ? order.size() : i;
  }
}
