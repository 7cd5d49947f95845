package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.ApiException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the Applications page lists, counts and orders for a query, as a table. */
class ApplicationsListingTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private static AppSummary app(
      String name, String project, String sync, String health, Instant synced, String... labels) {
    Map<String, String> l = new HashMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    return new AppSummary(
        name,
        project,
        "east",
        "",
        sync,
        health,
        "",
        "https://git.example/" + name,
        "HEAD",
        "",
        synced,
        l);
  }

  private static final List<AppSummary> FLEET =
      List.of(
          app("web", "shop", "Synced", "Healthy", T0.plusSeconds(30), "team", "web"),
          app("api", "shop", "OutOfSync", "Degraded", T0.plusSeconds(10), "team", "api"),
          app("db", "data", "Synced", "Progressing", null, "team", "data"),
          app("cache", "data", "Unknown", "Missing", T0.plusSeconds(20)),
          app("secret-thing", "hidden", "Synced", "Healthy", T0));

  private static ApplicationsQuery query(String... params) {
    Map<String, String> p = new HashMap<>();
    for (int i = 0; i + 1 < params.length; i += 2) {
      p.put(params[i], params[i + 1]);
    }
    return ApplicationsQuery.parse(p::get);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // query, names on the page in order, total
        Arguments.of(new String[] {}, List.of("api", "cache", "db", "web"), 4),
        Arguments.of(new String[] {"q", "CACH"}, List.of("cache"), 1),
        Arguments.of(new String[] {"q", "git.example/we"}, List.of("web"), 1),
        Arguments.of(new String[] {"selector", "team in (web,api)"}, List.of("api", "web"), 2),
        Arguments.of(new String[] {"selector", "!team"}, List.of("cache"), 1),
        Arguments.of(new String[] {"sort", "lastSync"}, List.of("web", "cache", "api", "db"), 4),
        Arguments.of(new String[] {"sort", "status"}, List.of("api", "cache", "db", "web"), 4),
        Arguments.of(new String[] {"size", "3"}, List.of("api", "cache", "db"), 4),
        Arguments.of(new String[] {"size", "3", "page", "2"}, List.of("web"), 4),
        // past the end: the last page, not an empty one
        Arguments.of(new String[] {"size", "3", "page", "9"}, List.of("web"), 4));
  }

  @ParameterizedTest
  @MethodSource("table")
  void listsTheVisibleMatchesInOrder(String[] params, List<String> names, int total) {
    ApplicationsListing listing =
        ApplicationsListing.of(FLEET, query(params), a -> !a.project().equals("hidden"));
    assertThat(listing.items()).extracting(AppSummary::name).containsExactlyElementsOf(names);
    assertThat(listing.total()).isEqualTo(total);
  }

  @Test
  void countsOnlyWhatTheCallerMaySee() {
    ApplicationsListing listing =
        ApplicationsListing.of(FLEET, query(), a -> !a.project().equals("hidden"));
    assertThat(listing.bySync())
        .containsExactly(
            Map.entry("Synced", 2), Map.entry("OutOfSync", 1), Map.entry("Unknown", 1));
    assertThat(listing.byHealth())
        .containsEntry("Healthy", 1)
        .containsEntry("Degraded", 1)
        .containsEntry("Progressing", 1)
        .containsEntry("Missing", 1)
        .containsEntry("Suspended", 0);
    assertThat(listing.pages()).isEqualTo(1);
  }

  @Test
  void anEmptyFleetIsOnePageOfNothing() {
    ApplicationsListing listing = ApplicationsListing.of(List.of(), query("page", "3"), a -> true);
    assertThat(listing.items()).isEmpty();
    assertThat(listing.page()).isEqualTo(1);
    assertThat(listing.pages()).isEqualTo(1);
  }

  static Stream<Arguments> badQueries() {
    return Stream.of(
        Arguments.of("sync", "Green", "sync: 'Green' is not one of Synced, OutOfSync, Unknown"),
        Arguments.of("health", "ok", "health: 'ok' is not one of Healthy"),
        Arguments.of("sort", "size", "sort: 'size' is not one of name, lastSync, status"),
        Arguments.of("page", "0", "page: 0 is outside 1.."),
        Arguments.of("page", "two", "page: 'two' is not a whole number"),
        Arguments.of("size", "100000", "size: 100000 is outside 1..500"),
        Arguments.of("view", "grid", "view: 'grid' is not one of list, tiles"),
        Arguments.of("selector", "team in (", "selector"));
  }

  @ParameterizedTest
  @MethodSource("badQueries")
  void aBadParameterIsNamedWithWhatItAccepts(String param, String value, String message) {
    assertThatThrownBy(() -> query(param, value))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining(message);
  }

  @Test
  void theUrlKeepsTheViewAndLeavesDefaultsOut() {
    ApplicationsQuery q = query("q", "a b", "sync", "outofsync", "view", "tiles", "page", "2");
    assertThat(q.sync()).isEqualTo("OutOfSync");
    assertThat(q.url()).isEqualTo("/applications?sync=OutOfSync&q=a%20b&view=tiles&page=2");
    assertThat(q.url(Map.of("page", "")))
        .isEqualTo("/applications?sync=OutOfSync&q=a%20b&view=tiles");
    assertThat(query().url()).isEqualTo("/applications");
  }
}
