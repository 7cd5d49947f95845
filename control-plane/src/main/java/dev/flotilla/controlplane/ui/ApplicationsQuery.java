package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.application.ApplicationFilter;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.core.selector.LabelSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What the Applications page shows, read from (and written back to) its URL so that a view can be
 * shared: filters, free text, sort, page and list-or-tiles.
 *
 * @param selector a Kubernetes label selector, as typed
 * @param text free text matched against name, project, cluster, ApplicationSet and repository
 * @param page 1-based
 */
public record ApplicationsQuery(
    String project,
    String cluster,
    String applicationSet,
    String sync,
    String health,
    String selector,
    String text,
    Sort sort,
    int page,
    int size,
    boolean tiles) {

  public static final int DEFAULT_SIZE = 50;
  public static final int MAX_SIZE = 500;
  static final List<String> SYNC = List.of("Synced", "OutOfSync", "Unknown");
  static final List<String> HEALTH =
      List.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

  /** The orders the page offers. */
  public enum Sort {
    NAME("name"),
    LAST_SYNC("lastSync"),
    STATUS("status");

    final String param;

    Sort(String param) {
      this.param = param;
    }

    public String param() {
      return param;
    }
  }

  /**
   * Reads the URL's parameters (first value of each).
   *
   * @throws ApiException INVALID naming the parameter that is wrong and what it accepts
   */
  public static ApplicationsQuery parse(Function<String, String> param) {
    String sync = oneOf(param, "sync", SYNC);
    String health = oneOf(param, "health", HEALTH);
    String selector = trim(param.apply("selector"));
    LabelSelectors.parse(selector, "selector"); // refuses a bad one with its reason
    String sortText = trim(param.apply("sort"));
    Sort sort = Sort.NAME;
    if (!sortText.isEmpty()) {
      sort =
          List.of(Sort.values()).stream()
              .filter(s -> s.param.equals(sortText))
              .findFirst()
              .orElseThrow(
                  () ->
                      ApiException.invalid(
                          "sort: '" + sortText + "' is not one of name, lastSync, status"));
    }
    int page = number(param, "page", 1, 1, Integer.MAX_VALUE);
    int size = number(param, "size", DEFAULT_SIZE, 1, MAX_SIZE);
    String view = trim(param.apply("view"));
    if (!view.isEmpty() && !view.equals("list") && !view.equals("tiles")) {
      throw ApiException.invalid("view: '" + view + "' is not one of list, tiles");
    }
    return new ApplicationsQuery(
        trim(param.apply("project")),
        trim(param.apply("cluster")),
        trim(param.apply("appset")),
        sync,
        health,
        selector,
        trim(param.apply("q")),
        sort,
        page,
        size,
        view.equals("tiles"));
  }

  /** The filters SQL can apply. */
  public ApplicationFilter filter() {
    return new ApplicationFilter(
        project, cluster, applicationSet, sync, health, LabelSelectors.parse(selector, "selector"));
  }

  public LabelSelector labelSelector() {
    return LabelSelectors.parse(selector, "selector");
  }

  /** This query's URL parameters, defaults left out, with {@code changes} applied. */
  public String url(Map<String, String> changes) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("project", project);
    params.put("cluster", cluster);
    params.put("appset", applicationSet);
    params.put("sync", sync);
    params.put("health", health);
    params.put("selector", selector);
    params.put("q", text);
    params.put("sort", sort == Sort.NAME ? "" : sort.param);
    params.put("view", tiles ? "tiles" : "");
    params.put("size", size == DEFAULT_SIZE ? "" : Integer.toString(size));
    params.put("page", page == 1 ? "" : Integer.toString(page));
    params.putAll(changes);
    StringBuilder out = new StringBuilder("/applications");
    char sep = '?';
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getValue() != null && !e.getValue().isEmpty()) {
        out.append(sep).append(e.getKey()).append('=').append(UiText.urlEncode(e.getValue()));
        sep = '&';
      }
    }
    return out.toString();
  }

  public String url() {
    return url(Map.of());
  }

  private static String oneOf(Function<String, String> param, String name, List<String> allowed) {
    String value = trim(param.apply(name));
    if (value.isEmpty()) {
      return "";
    }
    for (String a : allowed) {
      if (a.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw ApiException.invalid(
        name + ": '" + value + "' is not one of " + String.join(", ", allowed));
  }

  private static int number(
      Function<String, String> param, String name, int fallback, int min, int max) {
    String value = trim(param.apply(name));
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value);
      if (n < min || n > max) {
        throw ApiException.invalid(name + ": " + n + " is outside " + min + ".." + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.invalid(name + ": '" + value + "' is not a whole number");
    }
  }

  private static String trim(String s) {
    return s == null ? "" : s.strip();
  }
}
