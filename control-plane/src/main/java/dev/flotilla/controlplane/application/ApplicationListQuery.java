package dev.flotilla.controlplane.application;

import dev.flotilla.core.selector.LabelSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The SQL of one keyset page of Applications: the filters of an {@link ApplicationFilter} pushed
 * down, ordered by name in code-point order ({@code COLLATE "C"}, the order of Java's {@code
 * String.compareTo} for the ASCII names Applications have), so page tokens mean the same in SQL and
 * in Java whatever the database's locale. The {@code (column, name COLLATE "C")} indexes of
 * migration V11 serve the ordered scan with and without a project, cluster or ApplicationSet.
 *
 * @param sql the statement, parameters {@code $1..$n}
 * @param params the parameters, in order
 */
public record ApplicationListQuery(String sql, List<Object> params) {

  static final String COLUMNS =
      "a.name, a.application_set, a.project, a.cluster, a.revision AS target_sha,"
          + " a.generation, a.acked_generation, a.dispatch_error, a.document,"
          + " s.generation AS status_generation, s.sync_status, s.health, s.health_message,"
          + " s.revision, s.message, s.sync_failed, s.resources, s.last_synced_at, s.observed_at,"
          + " s.deployed_revision, s.operation_state, s.commit_info, s.failing_since";

  /**
   * @param after only names after this one ("" for the first page)
   * @param limit at most this many rows
   */
  static ApplicationListQuery of(ApplicationFilter filter, String after, int limit) {
    List<Object> params = new ArrayList<>();
    List<String> where = new ArrayList<>();
    if (after != null && !after.isEmpty()) {
      where.add("a.name COLLATE \"C\" > " + param(params, after));
    }
    where.addAll(conditions(filter, params));
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM applications a LEFT JOIN application_status s ON s.application = a.name"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY a.name COLLATE \"C\" LIMIT "
            + param(params, limit);
    return new ApplicationListQuery(sql, List.copyOf(params));
  }

  /**
   * The SQL conditions of {@code filter} over {@code applications a LEFT JOIN application_status
   * s}, their parameters appended to {@code params}: the one place that pushes an ApplicationFilter
   * down, for this list and for the web UI's summaries alike.
   */
  public static List<String> conditions(ApplicationFilter filter, List<Object> params) {
    List<String> where = new ArrayList<>();
    equal(where, params, "a.project", filter.project());
    equal(where, params, "a.cluster", filter.cluster());
    equal(where, params, "a.application_set", filter.applicationSet());
    // As ApplicationView shows them: no status yet reads as Unknown; matched ignoring case.
    caseless(where, params, "s.sync_status", filter.syncStatus());
    caseless(where, params, "s.health", filter.health());
    String labels = "(a.document -> 'metadata' -> 'labels')";
    for (LabelSelector.Requirement r : filter.labels().requirements()) {
      String key = param(params, r.key());
      String value = labels + " ->> " + key;
      where.add(
          switch (r.operator()) {
            case IN -> any(r.values(), v -> value + " = " + param(params, v), " OR ");
            case NOT_IN ->
                any(r.values(), v -> value + " IS DISTINCT FROM " + param(params, v), " AND ");
            case EXISTS -> "coalesce(" + labels + " ? " + key + ", false)";
            case DOES_NOT_EXIST -> "NOT coalesce(" + labels + " ? " + key + ", false)";
          });
    }
    return where;
  }

  private static void equal(List<String> where, List<Object> params, String column, String value) {
    if (value != null && !value.isEmpty()) {
      where.add(column + " = " + param(params, value));
    }
  }

  private static void caseless(
      List<String> where, List<Object> params, String column, String value) {
    if (value != null && !value.isEmpty()) {
      where.add("lower(coalesce(" + column + ", 'Unknown')) = lower(" + param(params, value) + ")");
    }
  }

  /** One test per value joined by {@code joiner}; a single value needs no parentheses. */
  private static String any(List<String> values, Function<String, String> test, String joiner) {
    List<String> tests = new ArrayList<>();
    for (String value : values) {
      tests.add(test.apply(value)); // in order: each adds its parameter
    }
    return tests.size() == 1 ? tests.get(0) : "(" + String.join(joiner, tests) + ")";
  }

  private static String param(List<Object> params, Object value) {
    params.add(value);
    return "$" + params.size();
  }
}
