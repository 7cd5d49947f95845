package dev.flotilla.controlplane.drift;

import static dev.flotilla.controlplane.drift.DriftFixture.event;
import static dev.flotilla.controlplane.drift.DriftFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DriftRoutes} mounted on a router of its own, over real HTTP on loopback. The scope stands
 * in for RBAC: the {@code X-Test-Projects} header lists the caller's projects (absent: all).
 */
class DriftRoutesIT {

  private static final String HOSTILE_NAME = "=cmd|' /C calc'!A0";

  private DriftFixture fx;
  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Fails the team lookup, standing in for a database that went away mid-request. */
  private final AtomicBoolean teamsFail = new AtomicBoolean();

  private final ProjectTeams teams =
      projects ->
          teamsFail.get()
              ? Future.failedFuture(new IllegalStateException("project store down"))
              : Future.succeededFuture(Map.of("billing", Set.of("payments")));

  /**
   * The caller, as authentication will set it: the {@code X-Test-Projects} header lists the
   * projects whose Applications it may get; without the header it is the system caller.
   */
  private static void caller(RoutingContext ctx) {
    String header = ctx.request().getHeader("X-Test-Projects");
    Callers.put(
        ctx,
        header == null
            ? Caller.SYSTEM
            : TestCallers.ofProjects(
                Arrays.stream(header.split(",")).filter(p -> !p.isEmpty()).toArray(String[]::new)));
    ctx.next();
  }

  @BeforeEach
  void start() throws Exception {
    fx = new DriftFixture();
    fx.app("billing-east", "billing", "east");
    fx.app("search-west", "search", "west");
    fx.record(
        "east", event("billing-east", "ConfigMap", "cm-a", 1, 2, "/data/k", "\"v\"", "\"w\""));
    fx.record(
        "east", event("billing-east", "ConfigMap", "cm-a", 3, -1, "/data/k", "\"v\"", "\"w\""));
    fx.record(
        "east",
        event(
            "billing-east",
            "Secret",
            "creds",
            4,
            -1,
            "/data/password",
            "\"c2VjcmV0\"",
            "\"aHVudGVyMg==\""));
    fx.record(
        "west",
        event(
            "search-west",
            "ConfigMap",
            HOSTILE_NAME,
            5,
            6,
            "/data/note",
            "\"a, \\\"quoted\\\"\\nline\"",
            "-1+2"));
    Router router = Router.router(fx.vertx);
    router.route().handler(DriftRoutesIT::caller);
    new DriftRoutes(new DriftService(fx.drift, new DriftFeed(), teams)).mount(router);
    server = get(fx.vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    get(server.close());
    fx.close();
  }

  private HttpResponse<String> send(String query, String projects) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.actualPort() + DriftRoutes.PATH + query));
    if (projects != null) {
      b.header("X-Test-Projects", projects);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> names(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body())
        .getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  @Test
  void jsonHasObjectsNewestFirstAndTotals() throws Exception {
    HttpResponse<String> r = send("", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(r.headers().firstValue("X-Total-Count")).hasValue("3");
    JsonObject body = new JsonObject(r.body());
    assertThat(names(r)).containsExactly(HOSTILE_NAME, "creds", "cm-a");
    JsonObject cm = body.getJsonArray("items").getJsonObject(2);
    assertThat(cm.getLong("occurrences")).isEqualTo(2);
    assertThat(cm.getBoolean("healed")).isFalse();
    assertThat(cm.getString("project")).isEqualTo("billing");
    assertThat(body.getLong("total")).isEqualTo(3);
    assertThat(body.getValue("nextOffset")).isNull();
    JsonObject totals = body.getJsonObject("totals");
    assertThat(totals.getJsonArray("byCluster"))
        .containsExactly(
            new JsonObject()
                .put("cluster", "east")
                .put("objects", 2)
                .put("unhealed", 2)
                .put("events", 3),
            new JsonObject()
                .put("cluster", "west")
                .put("objects", 1)
                .put("unhealed", 0)
                .put("events", 1));
    assertThat(totals.getJsonArray("byTeam").stream().map(o -> ((JsonObject) o).getString("team")))
        .containsExactly(DriftReport.NO_TEAM, "payments");
  }

  @Test
  void pageTokensWalkEveryObjectOnceEvenWhenNewDriftArrivesBetweenPages() throws Exception {
    List<String> walked = new java.util.ArrayList<>();
    String token = "";
    for (int page = 0; page < 10; page++) {
      HttpResponse<String> r = send("?limit=1&pageToken=" + token, null);
      walked.addAll(names(r));
      token = new JsonObject(r.body()).getString("nextPageToken");
      if (token.isEmpty()) {
        break;
      }
      // Newer drift would shift an offset by one and repeat an object; a token must not move.
      fx.record(
          "east",
          event("billing-east", "ConfigMap", "late-" + page, 10 + page, -1, "/data/k", "1", "2"));
    }
    assertThat(walked).containsExactly(HOSTILE_NAME, "creds", "cm-a");
    // Offsets still work for existing callers.
    assertThat(names(send("?limit=1&offset=4", null))).containsExactly("creds");
  }

  record Filter(String name, String query, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Filter> filters() {
    return Stream.of(
        new Filter("cluster", "?cluster=east", List.of("creds", "cm-a")),
        new Filter("project", "?project=search", List.of(HOSTILE_NAME)),
        new Filter("application", "?application=billing-east", List.of("creds", "cm-a")),
        new Filter("healed", "?healed=true", List.of(HOSTILE_NAME)),
        new Filter("unhealed", "?healed=false", List.of("creds", "cm-a")),
        new Filter("since", "?since=2026-11-01T00:04:00Z", List.of(HOSTILE_NAME, "creds")),
        new Filter(
            "since with offset",
            "?since=2026-11-01T01:04:00%2B01:00",
            List.of(HOSTILE_NAME, "creds")),
        new Filter("page", "?limit=1&offset=1", List.of("creds")),
        new Filter("kind", "?kind=Secret", List.of("creds")),
        new Filter("kind is exact", "?kind=configmap", List.of()),
        new Filter("json explicitly", "?format=json&cluster=west", List.of(HOSTILE_NAME)),
        new Filter("SQL-looking project", "?project=billing%27%20OR%20%271%27%3D%271", List.of()),
        new Filter(
            "SQL statement", "?cluster=east%27%3B%20DROP%20TABLE%20drift_objects%3B--", List.of()),
        new Filter("percent is literal", "?application=%25", List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filters")
  void filtersComeFromTheQueryString(Filter f) throws Exception {
    assertThat(names(send(f.query(), null))).containsExactlyElementsOf(f.expected());
    assertThat(names(send("", null))).as("nothing changed").hasSize(3);
  }

  record Bad(String name, String query, String parameter) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Bad> badParameters() {
    return Stream.of(
        new Bad("unknown format", "?format=xml", "format"),
        new Bad("limit zero", "?limit=0", "limit"),
        new Bad("limit too big", "?limit=1001", "limit"),
        new Bad("limit not a number", "?limit=ten", "limit"),
        new Bad("limit in exponent form", "?limit=1e3", "limit"),
        new Bad("limit overflowing int", "?limit=99999999999999999999", "limit"),
        new Bad("negative offset", "?offset=-1", "offset"),
        new Bad("page token not from this list", "?pageToken=bogus", "pageToken"),
        new Bad("healed yes", "?healed=yes", "healed"),
        new Bad("healed empty", "?healed=", "healed"),
        new Bad("since not a time", "?since=yesterday", "since"),
        new Bad("since without zone", "?since=2026-11-01T00:00:00", "since"),
        new Bad("empty cluster", "?cluster=", "cluster"),
        new Bad("empty kind", "?kind=", "kind"),
        new Bad("long project", "?project=" + "p".repeat(254), "project"),
        new Bad("control character", "?application=a%00b", "application"),
        new Bad("repeated", "?cluster=a&cluster=b", "cluster"),
        new Bad("unknown parameter", "?colour=red", "colour"),
        new Bad("hostile parameter name", "?%3Cscript%3E=1", "?script?"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badParameters")
  void badParametersAreRefusedNamingThem(Bad b) throws Exception {
    HttpResponse<String> r = send(b.query(), null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new JsonObject(r.body()).getString("error")).startsWith(b.parameter() + ":");
  }

  @Test
  void csvHasAHeaderQuotedCellsAndNoFormulas() throws Exception {
    HttpResponse<String> r = send("?format=csv", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    assertThat(r.headers().firstValue("X-Total-Count")).hasValue("3");
    assertThat(r.body()).endsWith("\r\n");
    List<List<String>> rows = parseCsv(r.body());
    assertThat(rows.get(0)).isEqualTo(DriftCsv.HEADER);
    assertThat(rows).hasSize(4);
    for (List<String> row : rows) {
      assertThat(row).hasSize(DriftCsv.HEADER.size());
      for (String cell : row) {
        assertThat(cell)
            .doesNotStartWith("=")
            .doesNotStartWith("+")
            .doesNotStartWith("-")
            .doesNotStartWith("@");
      }
    }
    List<String> hostile = rows.get(1);
    assertThat(hostile.get(6)).isEqualTo("'" + HOSTILE_NAME);
    assertThat(hostile.get(9)).isEqualTo("\"a, \\\"quoted\\\"\\nline\"");
    assertThat(hostile.get(10)).isEqualTo("'-1+2");
    assertThat(hostile.get(14)).isEqualTo("true");
    assertThat(rows.get(3).get(13)).as("occurrences of cm-a").isEqualTo("2");
  }

  @Test
  void csvOfAnEmptyReportIsJustTheHeader() throws Exception {
    HttpResponse<String> r = send("?format=csv&cluster=none", null);
    assertThat(r.body()).isEqualTo(String.join(",", DriftCsv.HEADER) + "\r\n");
  }

  @Test
  void secretsAreMaskedInJsonAndCsv() throws Exception {
    for (String format : List.of("json", "csv")) {
      String body = send("?format=" + format, null).body();
      assertThat(body).contains("creds").doesNotContain("aHVudGVyMg").doesNotContain("c2VjcmV0");
    }
  }

  @Test
  void theCallersScopeLimitsItemsAndTotals() throws Exception {
    HttpResponse<String> search = send("", "search");
    assertThat(names(search)).containsExactly(HOSTILE_NAME);
    JsonArray byProject =
        new JsonObject(search.body()).getJsonObject("totals").getJsonArray("byProject");
    assertThat(byProject).hasSize(1);
    assertThat(byProject.getJsonObject(0).getString("project")).isEqualTo("search");

    assertThat(names(send("?project=billing", "search")))
        .as("a filter cannot reach outside")
        .isEmpty();
    assertThat(names(send("", ""))).as("no projects: nothing").isEmpty();
    assertThat(send("?format=csv", "search").body()).doesNotContain("creds").doesNotContain("cm-a");
  }

  private HttpResponse<String> fetch(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.actualPort() + pathAndQuery));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theOldReportPathIsAnAliasOfTheNewOne() throws Exception {
    HttpResponse<String> report = fetch(DriftRoutes.REPORT_ALIAS + "?cluster=east");
    HttpResponse<String> drift = fetch("/api/v1/drift?cluster=east");
    assertThat(names(report)).containsExactly("creds", "cm-a");
    assertThat(new JsonObject(report.body())).isEqualTo(new JsonObject(drift.body()));
    assertThat(fetch(DriftRoutes.REPORT_ALIAS + "?limit=0").statusCode()).isEqualTo(400);
  }

  @Test
  void acceptTextCsvAsksForCsvUnlessTheFormatParameterSaysOtherwise() throws Exception {
    HttpResponse<String> csv = fetch("/api/v1/drift", "Accept", "text/csv");
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    assertThat(csv.body()).startsWith(String.join(",", DriftCsv.HEADER) + "\r\n");
    assertThat(
            fetch("/api/v1/drift?format=json", "Accept", "text/csv")
                .headers()
                .firstValue("Content-Type"))
        .hasValue("application/json");
    for (String accept : List.of("*/*", "application/json, text/csv", "text/html")) {
      assertThat(fetch("/api/v1/drift", "Accept", accept).headers().firstValue("Content-Type"))
          .as(accept)
          .hasValue("application/json");
    }
    assertThat(
            fetch("/api/v1/drift", "Accept", "text/csv;q=0.9").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
  }

  private static List<String> applications(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body())
        .getJsonArray("items").stream()
            .map(o -> ((JsonObject) o).getString("application"))
            .toList();
  }

  @Test
  void rawEventPagesWalkEveryEventOnceEvenWhenNewOnesArrive() throws Exception {
    List<String> walked = new java.util.ArrayList<>();
    String token = "";
    for (int page = 0; page < 10; page++) {
      HttpResponse<String> r = fetch(DriftRoutes.EVENTS_PATH + "?limit=1&pageToken=" + token);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonObject body = new JsonObject(r.body());
      body.getJsonArray("items").forEach(o -> walked.add(((JsonObject) o).getString("name")));
      token = body.getString("nextPageToken");
      if (token.isEmpty()) {
        break;
      }
      fx.record(
          "east",
          event("billing-east", "ConfigMap", "late-" + page, 10 + page, -1, "/data/k", "1", "2"));
    }
    // Newest first; cm-a drifted twice. Events logged meanwhile are newer: not in this walk.
    assertThat(walked).containsExactly(HOSTILE_NAME, "creds", "cm-a", "cm-a");
  }

  @Test
  void rawEventsAreServedAtEventsScopedAndChecked() throws Exception {
    assertThat(applications(fetch(DriftRoutes.EVENTS_PATH)))
        .containsExactly("search-west", "billing-east", "billing-east", "billing-east");
    assertThat(applications(fetch(DriftRoutes.EVENTS_PATH + "?application=billing-east&limit=1")))
        .containsExactly("billing-east");
    assertThat(applications(fetch(DriftRoutes.EVENTS_PATH, "X-Test-Projects", "search")))
        .containsExactly("search-west");
    assertThat(fetch(DriftRoutes.EVENTS_PATH).body())
        .as("Secrets masked here too")
        .doesNotContain("aHVudGVyMg");
    for (String bad :
        List.of(
            "?limit=0",
            "?limit=x",
            "?application=",
            "?since=2026-01-01T00:00:00Z",
            "?pageToken=bogus")) {
      HttpResponse<String> r = fetch(DriftRoutes.EVENTS_PATH + bad);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(new JsonObject(r.body()).getString("error"))
          .startsWith(bad.substring(1, bad.indexOf('=')) + ":");
    }
  }

  @Test
  void aFailureAnswersInsteadOfHanging() throws Exception {
    teamsFail.set(true);
    assertThat(send("", null).statusCode()).isEqualTo(500);
  }

  /** A strict RFC 4180 reader, so the test does not trust the writer's own idea of quoting. */
  private static List<List<String>> parseCsv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        assertThat(cell).as("quote only at the start of a cell").isEmpty();
        quoted = true;
      } else if (c == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\r') {
        assertThat(text.charAt(i + 1)).isEqualTo('\n');
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        assertThat(c).as("bare LF outside quotes").isNotEqualTo('\n');
        cell.append(c);
      }
    }
    assertThat(quoted).isFalse();
    assertThat(row).isEmpty();
    return rows;
  }
}
