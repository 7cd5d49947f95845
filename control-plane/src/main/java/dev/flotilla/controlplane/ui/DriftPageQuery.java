package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.drift.DriftQuery;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The Fleet drift page's filters and page, read from and written back to its URL so that a view can
 * be shared. Empty means "any".
 *
 * @param healed "" (any), "no" (still drifted) or "yes" (put back)
 */
public record DriftPageQuery(
    String cluster, String project, String application, String kind, String healed, int page) {

  static final int PAGE_SIZE = 50;
  static final int MAX_PAGE = DriftQuery.MAX_OFFSET / PAGE_SIZE;

  /**
   * Reads the page's parameters.
   *
   * @throws ApiException (invalid) naming the parameter and what it accepts
   */
  public static DriftPageQuery parse(Function<String, String> param) {
    String healed = trim(param.apply("healed"));
    if (!healed.isEmpty() && !healed.equals("yes") && !healed.equals("no")) {
      throw ApiException.invalid("healed: '" + healed + "' is not one of yes, no");
    }
    String page = trim(param.apply("page"));
    int n = 1;
    if (!page.isEmpty()) {
      try {
        n = Integer.parseInt(page);
      } catch (NumberFormatException e) {
        throw ApiException.invalid("page: '" + page + "' is not a whole number");
      }
      if (n < 1 || n > MAX_PAGE) {
        throw ApiException.invalid("page: " + n + " is outside 1.." + MAX_PAGE);
      }
    }
    return new DriftPageQuery(
        name(param, "cluster"),
        name(param, "project"),
        name(param, "application"),
        name(param, "kind"),
        healed,
        n);
  }

  /** No filter, first page. */
  public static DriftPageQuery none() {
    return new DriftPageQuery("", "", "", "", "", 1);
  }

  /** The drift service's query for this page; {@code all} asks for every row (the CSV). */
  public DriftQuery query(boolean all) {
    return new DriftQuery(
        blankToNull(cluster),
        blankToNull(project),
        blankToNull(application),
        blankToNull(kind),
        healed.isEmpty() ? null : healed.equals("yes"),
        null,
        all ? DriftQuery.MAX_LIMIT : PAGE_SIZE,
        all ? 0 : (page - 1) * PAGE_SIZE);
  }

  /** The number of pages {@code total} objects fill, at least one. */
  public static int pages(long total) {
    return (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
  }

  /** This query's URL on {@code path}, defaults left out, with {@code changes} applied. */
  public String url(String path, Map<String, String> changes) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("cluster", cluster);
    params.put("project", project);
    params.put("application", application);
    params.put("kind", kind);
    params.put("healed", healed);
    params.put("page", page == 1 ? "" : Integer.toString(page));
    params.putAll(changes);
    StringBuilder out = new StringBuilder(path);
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getValue() != null && !e.getValue().isEmpty()) {
        out.append(sep).append(e.getKey()).append('=').append(UiText.urlEncode(e.getValue()));
        sep = '&';
      }
    }
    return out.toString();
  }

  private static String name(Function<String, String> param, String name) {
    String value = trim(param.apply(name));
    if (value.isEmpty()) {
      return "";
    }
    try {
      return DriftQuery.requireName(name, value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
  }

  private static String blankToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static String trim(String s) {
    return s == null ? "" : s.strip();
  }
}
