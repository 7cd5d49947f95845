package dev.flotilla.controlplane.ui;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How many Applications are in each sync and health state: one cluster's line on the Clusters page.
 * The states are listed in Argo CD's order (the worst sync first, then health from Healthy to
 * Unknown) so that every row reads alike.
 */
public record AppCounts(long total, Map<String, Long> bySync, Map<String, Long> byHealth) {

  static final List<String> SYNC_ORDER = List.of("OutOfSync", "Synced", "Unknown");
  static final List<String> HEALTH_ORDER =
      List.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

  public static final AppCounts NONE = new AppCounts(0, Map.of(), Map.of());

  /** The counts of {@code apps} grouped by {@code key} (e.g. the cluster), keys sorted. */
  public static Map<String, AppCounts> by(
      Collection<AppSummary> apps, Function<AppSummary, String> key) {
    Map<String, List<AppSummary>> groups =
        apps.stream()
            .collect(
                Collectors.groupingBy(
                    a -> key.apply(a) == null ? "" : key.apply(a),
                    TreeMap::new,
                    Collectors.toList()));
    Map<String, AppCounts> out = new LinkedHashMap<>();
    groups.forEach((k, v) -> out.put(k, of(v)));
    return out;
  }

  /** The counts of {@code apps}. */
  public static AppCounts of(Collection<AppSummary> apps) {
    return new AppCounts(
        apps.size(),
        ordered(apps, AppSummary::syncStatus, SYNC_ORDER),
        ordered(apps, AppSummary::health, HEALTH_ORDER));
  }

  private static Map<String, Long> ordered(
      Collection<AppSummary> apps, Function<AppSummary, String> state, List<String> order) {
    Map<String, Long> counted =
        apps.stream().collect(Collectors.groupingBy(state, Collectors.counting()));
    Map<String, Long> out = new LinkedHashMap<>();
    counted.entrySet().stream()
        .sorted(
            Comparator.comparingInt(
                    (Map.Entry<String, Long> e) ->
                        order.indexOf(e.getKey()) < 0 ? order.size() : order.indexOf(e.getKey()))
                .thenComparing(Map.Entry::getKey))
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }
}
