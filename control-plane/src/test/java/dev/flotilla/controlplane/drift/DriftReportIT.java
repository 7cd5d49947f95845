package dev.flotilla.controlplane.drift;

import static dev.flotilla.controlplane.drift.DriftFixture.at;
import static dev.flotilla.controlplane.drift.DriftFixture.event;
import static dev.flotilla.controlplane.drift.DriftFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.proto.agent.v1.DriftEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The drift report on a real database, fed through {@link DriftRepository#record} as the agent
 * service feeds it. The fleet (newest drift first):
 *
 * <pre>
 * object  app           project  cluster  events (minute seen→healed)  now
 * cm-a    billing-east  billing  east     1→2, 5→6, 9→10              healed
 * cm-s    search-east   search   east     8                           drifted
 * web     billing-west  billing  west     4→5, 7                      drifted (healed once)
 * creds   billing-east  billing  east     3 (a Secret)                drifted
 * cm-i    infra-west    infra    west     2→3                         healed
 * </pre>
 */
class DriftReportIT {

  private static final ProjectTeams TEAMS =
      ProjectTeams.fixed(Map.of("billing", Set.of("payments"), "search", Set.of("discovery")));

  /** Sees the drift of every Application of these projects. */
  static DriftScope projects(Set<String> visible) {
    return (project, application) -> visible.contains(project);
  }

  private DriftFixture fx;

  @BeforeEach
  void fleet() throws Exception {
    fx = new DriftFixture();
    fx.app("billing-east", "billing", "east");
    fx.app("billing-west", "billing", "west");
    fx.app("search-east", "search", "east");
    fx.app("infra-west", "infra", "west");
    for (int[] m : new int[][] {{1, 2}, {5, 6}, {9, 10}}) {
      fx.record(
          "east",
          event(
              "billing-east",
              "ConfigMap",
              "cm-a",
              m[0],
              m[1],
              "/data/k",
              "\"v\"",
              "\"x" + m[0] + "\""));
    }
    fx.record(
        "east",
        event(
            "billing-east",
            "Secret",
            "creds",
            3,
            -1,
            "/data/password",
            "\"c2VjcmV0\"",
            "\"aHVudGVyMg==\""));
    fx.record("west", event("billing-west", "Deployment", "web", 4, 5, "/spec/replicas", "2", "5"));
    fx.record(
        "west", event("billing-west", "Deployment", "web", 7, -1, "/spec/replicas", "2", "7"));
    fx.record(
        "east", event("search-east", "ConfigMap", "cm-s", 8, -1, "/data/q", "\"a\"", "\"b\""));
    fx.record("west", event("infra-west", "ConfigMap", "cm-i", 2, 3, "/data/i", "\"1\"", "\"2\""));
  }

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  private DriftReport report(DriftQuery q) throws Exception {
    return get(fx.drift.report(q, DriftScope.EVERYTHING, TEAMS));
  }

  private static List<String> names(DriftReport r) {
    return r.items().stream().map(DriftedObject::name).toList();
  }

  private DriftedObject object(String name) throws Exception {
    return report(DriftQuery.all()).items().stream()
        .filter(o -> o.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everyEventOfAnObjectCountsAsARecurrenceAndTheNewestDescribesIt() throws Exception {
    DriftedObject cm = object("cm-a");
    assertThat(cm.occurrences()).isEqualTo(3);
    assertThat(cm.heals()).isEqualTo(3);
    assertThat(cm.firstSeen()).isEqualTo(at(1));
    assertThat(cm.lastSeen()).isEqualTo(at(9));
    assertThat(cm.fields().getJsonObject(0).getString("live")).isEqualTo("\"x9\"");
    assertThat(cm.cluster()).isEqualTo("east");
    assertThat(cm.project()).isEqualTo("billing");
    assertThat(cm.application()).isEqualTo("billing-east");
    assertThat(cm.namespace()).isEqualTo("ns");
    assertThat(object("web").group()).isEqualTo("apps");
  }

  @Test
  void anEventSentWithoutItsTimeIsStampedByTheControlPlanesClock() throws Exception {
    DriftEvent untimed =
        event("search-east", "ConfigMap", "untimed", 0, -1, "/data/u", "\"1\"", "\"2\"").toBuilder()
            .setDetectedAtUnixMs(0)
            .build();
    assertThat(fx.record("east", untimed)).isTrue();
    assertThat(object("untimed").firstSeen()).isEqualTo(DriftFixture.NOW);
  }

  @Test
  void aRedeliveredEventIsNotARecurrence() throws Exception {
    boolean stored =
        fx.record(
            "east", event("billing-east", "ConfigMap", "cm-a", 5, 6, "/data/k", "\"v\"", "\"x5\""));
    assertThat(stored).isFalse();
    assertThat(object("cm-a").occurrences()).isEqualTo(3);
  }

  @Test
  void anOlderEventArrivingLateCountsButDoesNotReplaceTheNewest() throws Exception {
    fx.record(
        "west", event("infra-west", "ConfigMap", "late", 20, -1, "/data/z", "\"1\"", "\"new\""));
    fx.record(
        "west", event("infra-west", "ConfigMap", "late", 15, 16, "/data/z", "\"1\"", "\"old\""));
    DriftedObject late = object("late");
    assertThat(late.occurrences()).isEqualTo(2);
    assertThat(late.firstSeen()).isEqualTo(at(15));
    assertThat(late.lastSeen()).isEqualTo(at(20));
    assertThat(late.fields().getJsonObject(0).getString("live")).isEqualTo("\"new\"");
    assertThat(late.healed()).as("the newest drift was never reverted").isFalse();
    assertThat(late.lastHealedAt()).isEqualTo(at(16));
  }

  @Test
  void anEventFromAnotherClustersAgentIsDropped() throws Exception {
    assertThat(
            fx.record(
                "west",
                event("billing-east", "ConfigMap", "cm-a", 30, -1, "/data/k", "\"v\"", "\"w\"")))
        .isFalse();
    assertThat(object("cm-a").occurrences()).isEqualTo(3);
  }

  @Test
  void healedMeansTheNewestDriftWasReverted() throws Exception {
    DriftedObject cm = object("cm-a");
    assertThat(cm.healed()).isTrue();
    assertThat(cm.healedAt()).isEqualTo(at(10));

    DriftedObject web = object("web");
    assertThat(web.healed()).as("reverted once, then drifted again without a revert").isFalse();
    assertThat(web.healedAt()).isNull();
    assertThat(web.lastHealedAt()).isEqualTo(at(5));
    assertThat(web.heals()).isEqualTo(1);
    assertThat(web.occurrences()).isEqualTo(2);

    JsonObject json = web.toJson();
    assertThat(json.getBoolean("healed")).isFalse();
    assertThat(json.getString("healedAt")).isNull();
    assertThat(json.getString("firstSeenAt")).isEqualTo(at(4).toString());
  }

  @Test
  void totalsCountEveryMatchingObjectByClusterProjectAndTeam() throws Exception {
    DriftReport r =
        get(fx.drift.report(DriftQuery.all().withPage(1, 0), DriftScope.EVERYTHING, TEAMS));
    assertThat(r.items()).hasSize(1);
    assertThat(r.total()).isEqualTo(5);
    assertThat(r.byCluster())
        .containsExactly(new DriftTotal("east", 3, 2, 5), new DriftTotal("west", 2, 1, 3));
    assertThat(r.byProject())
        .containsExactly(
            new DriftTotal("billing", 3, 2, 6),
            new DriftTotal("infra", 1, 0, 1),
            new DriftTotal("search", 1, 1, 1));
    assertThat(r.byTeam())
        .containsExactly(
            new DriftTotal(DriftReport.NO_TEAM, 1, 0, 1),
            new DriftTotal("discovery", 1, 1, 1),
            new DriftTotal("payments", 3, 2, 6));

    DriftReport noTeams =
        get(fx.drift.report(DriftQuery.all(), DriftScope.EVERYTHING, ProjectTeams.NONE));
    assertThat(noTeams.byTeam()).containsExactly(new DriftTotal(DriftReport.NO_TEAM, 5, 3, 8));

    DriftReport west = report(DriftQuery.all().withCluster("west"));
    assertThat(west.byCluster()).containsExactly(new DriftTotal("west", 2, 1, 3));
    assertThat(west.byProject())
        .containsExactly(new DriftTotal("billing", 1, 1, 2), new DriftTotal("infra", 1, 0, 1));
  }

  record Case(String name, DriftQuery query, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> filters() {
    DriftQuery all = DriftQuery.all();
    return Stream.of(
        new Case("no filter, newest first", all, List.of("cm-a", "cm-s", "web", "creds", "cm-i")),
        new Case("cluster", all.withCluster("east"), List.of("cm-a", "cm-s", "creds")),
        new Case("project", all.withProject("billing"), List.of("cm-a", "web", "creds")),
        new Case("application", all.withApplication("billing-west"), List.of("web")),
        new Case("healed", all.withHealed(true), List.of("cm-a", "cm-i")),
        new Case("unhealed", all.withHealed(false), List.of("cm-s", "web", "creds")),
        new Case("since (inclusive)", all.withSince(at(7)), List.of("cm-a", "cm-s", "web")),
        new Case("since the future", all.withSince(at(600)), List.of()),
        new Case("cluster and unhealed", all.withCluster("west").withHealed(false), List.of("web")),
        new Case(
            "project and application disagree",
            all.withProject("search").withApplication("billing-east"),
            List.of()),
        new Case("unknown cluster", all.withCluster("nowhere"), List.of()),
        new Case("SQL quote", all.withProject("billing' OR '1'='1"), List.of()),
        new Case(
            "SQL statement", all.withApplication("x'); DROP TABLE drift_objects; --"), List.of()),
        new Case("LIKE wildcard is literal", all.withCluster("%"), List.of()),
        new Case("glob is literal", all.withProject("*"), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filters")
  void filtersSelectObjects(Case c) throws Exception {
    DriftReport r = report(c.query());
    assertThat(names(r)).containsExactlyElementsOf(c.expected());
    assertThat(r.total()).isEqualTo(c.expected().size());
  }

  @Test
  void sqlLookingStringsAreStoredAndShownVerbatim() throws Exception {
    String hostile = "x'); DROP TABLE drift_events; --";
    fx.app(hostile, "p' OR '1'='1", "east");
    fx.record(
        "east", event(hostile, "ConfigMap", "Robert'); --", 50, -1, "/data/a'b", "\"'\"", "\";\""));
    DriftReport r = report(DriftQuery.all().withApplication(hostile));
    assertThat(r.items()).hasSize(1);
    DriftedObject o = r.items().get(0);
    assertThat(o.project()).isEqualTo("p' OR '1'='1");
    assertThat(o.name()).isEqualTo("Robert'); --");
    assertThat(o.fields().getJsonObject(0).getString("path")).isEqualTo("/data/a'b");
    assertThat(report(DriftQuery.all()).total()).as("every table still there").isEqualTo(6);
  }

  @Test
  void pagesCoverEveryObjectOnceWithTheSameTotals() throws Exception {
    List<String> seen = new java.util.ArrayList<>();
    Integer offset = 0;
    int pages = 0;
    while (offset != null) {
      DriftReport page = report(DriftQuery.all().withPage(2, offset));
      assertThat(page.total()).isEqualTo(5);
      assertThat(page.byCluster()).hasSize(2);
      seen.addAll(names(page));
      offset = page.nextOffset();
      pages++;
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly("cm-a", "cm-s", "web", "creds", "cm-i");
    DriftReport beyond = report(DriftQuery.all().withPage(2, 10));
    assertThat(beyond.items()).isEmpty();
    assertThat(beyond.total()).isEqualTo(5);
    assertThat(beyond.nextOffset()).isNull();
  }

  record Scope(String name, Set<String> visible, List<String> expected, List<String> projects) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Scope> scopes() {
    return Stream.of(
        new Scope(
            "null is everything",
            null,
            List.of("cm-a", "cm-s", "web", "creds", "cm-i"),
            List.of("billing", "infra", "search")),
        new Scope(
            "one project", Set.of("billing"), List.of("cm-a", "web", "creds"), List.of("billing")),
        new Scope(
            "two projects",
            Set.of("search", "infra"),
            List.of("cm-s", "cm-i"),
            List.of("infra", "search")),
        new Scope(
            "unknown project",
            Set.of("billing", "nope"),
            List.of("cm-a", "web", "creds"),
            List.of("billing")),
        new Scope("empty set is nothing", Set.of(), List.of(), List.of()),
        new Scope("SQL-looking project", Set.of("billing' OR '1'='1"), List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void visibleProjectsScopeItemsAndTotals(Scope s) throws Exception {
    DriftReport r =
        get(
            fx.drift.report(
                DriftQuery.all(),
                s.visible() == null ? DriftScope.EVERYTHING : projects(new HashSet<>(s.visible())),
                TEAMS));
    assertThat(names(r)).containsExactlyElementsOf(s.expected());
    assertThat(r.total()).isEqualTo(s.expected().size());
    assertThat(r.byProject().stream().map(DriftTotal::key).toList())
        .containsExactlyElementsOf(s.projects());
    assertThat(r.byCluster().stream().mapToLong(DriftTotal::objects).sum())
        .isEqualTo(s.expected().size());
  }

  @Test
  void aScopeNarrowsButNeverWidensAFilter() throws Exception {
    DriftReport r =
        get(
            fx.drift.report(
                DriftQuery.all().withProject("search"), projects(Set.of("billing")), TEAMS));
    assertThat(r.items()).isEmpty();
    assertThat(r.byCluster()).isEmpty();
  }

  @Test
  void aCallerSeesAndCountsOnlyTheApplicationsItMayGet() throws Exception {
    Caller caller =
        TestCallers.member(
            "payments",
            "p, payments, applications, get, billing/billing-west, allow\n"
                + "p, payments, applications, get, search/*, allow");
    DriftScope scope = DriftScope.of(caller);
    DriftReport r = get(fx.drift.report(DriftQuery.all(), scope, TEAMS));
    assertThat(names(r)).containsExactly("cm-s", "web");
    assertThat(r.total()).isEqualTo(2);
    assertThat(r.byCluster())
        .containsExactly(new DriftTotal("east", 1, 1, 1), new DriftTotal("west", 1, 1, 2));
    assertThat(r.byProject())
        .containsExactly(new DriftTotal("billing", 1, 1, 2), new DriftTotal("search", 1, 1, 1));
    assertThat(r.byTeam())
        .containsExactly(new DriftTotal("discovery", 1, 1, 1), new DriftTotal("payments", 1, 1, 2));

    DriftReport hidden =
        get(fx.drift.report(DriftQuery.all().withApplication("billing-east"), scope, TEAMS));
    assertThat(hidden.items()).as("filtering on a hidden Application finds nothing").isEmpty();
    assertThat(hidden.total()).isZero();
    assertThat(hidden.byTeam()).isEmpty();

    DriftReport paged = get(fx.drift.report(DriftQuery.all().withPage(1, 1), scope, TEAMS));
    assertThat(names(paged)).as("pages run over visible objects only").containsExactly("web");
    assertThat(paged.nextOffset()).isNull();

    DriftReport nothing =
        get(fx.drift.report(DriftQuery.all(), DriftScope.of(TestCallers.member("x", "")), TEAMS));
    assertThat(nothing.items()).isEmpty();
    assertThat(nothing.total()).isZero();
    assertThat(nothing.byCluster()).isEmpty();
  }

  @Test
  void mostHiddenOrMostVisibleBothPageCorrectly() throws Exception {
    // One visible of four Applications, and three of four: the page query is told whichever list
    // is shorter, and both must give the same objects as the totals.
    DriftScope one = (project, app) -> app.equals("infra-west");
    DriftScope three = (project, app) -> !app.equals("infra-west");
    assertThat(names(get(fx.drift.report(DriftQuery.all(), one, TEAMS)))).containsExactly("cm-i");
    DriftReport r = get(fx.drift.report(DriftQuery.all(), three, TEAMS));
    assertThat(names(r)).containsExactly("cm-a", "cm-s", "web", "creds");
    assertThat(r.total()).isEqualTo(4);
  }

  @Test
  void teamsComeFromTheGroupsOfEachAppProjectsRoles() throws Exception {
    ProjectRepository projects = new ProjectRepository(fx.pool);
    get(
        projects.upsert(
            "billing",
            new JsonObject(
                """
                {"metadata": {"name": "billing"}, "spec": {"roles": [
                  {"name": "dev", "groups": ["payments"]},
                  {"name": "ops", "groups": ["platform", "payments"]}]}}
                """)));
    get(projects.upsert("infra", new JsonObject("{\"metadata\": {\"name\": \"infra\"}}")));
    DriftReport r =
        get(
            fx.drift.report(
                DriftQuery.all(), DriftScope.EVERYTHING, new AppProjectTeams(projects)));
    assertThat(r.byTeam())
        .as("search has no AppProject and infra no roles: both count under the bucket")
        .containsExactly(
            new DriftTotal(DriftReport.NO_TEAM, 2, 1, 2),
            new DriftTotal("payments", 3, 2, 6),
            new DriftTotal("platform", 3, 2, 6));
  }

  @Test
  void recordAnswersWithTheObjectAsTheReportNowShowsIt() throws Exception {
    DriftedObject web =
        get(fx.drift.record(
                "west",
                event("billing-west", "Deployment", "web", 20, 21, "/spec/replicas", "2", "8")))
            .orElseThrow();
    assertThat(web.project()).isEqualTo("billing");
    assertThat(web.occurrences()).isEqualTo(3);
    assertThat(web.healedAt()).isEqualTo(at(21));
    assertThat(web.fields().getJsonObject(0).getString("live")).isEqualTo("8");
    assertThat(
            get(
                fx.drift.record(
                    "west",
                    event(
                        "billing-west", "Deployment", "web", 20, 21, "/spec/replicas", "2", "8"))))
        .as("a redelivery is not news")
        .isEmpty();
  }

  @Test
  void rawEventsAreScopedToo() throws Exception {
    DriftScope search = projects(Set.of("search"));
    assertThat(get(fx.drift.recent(null, 100, search)))
        .extracting(e -> e.getString("application"))
        .containsExactly("search-east");
    assertThat(get(fx.drift.recent("billing-east", 100, search))).isEmpty();
    assertThat(get(fx.drift.recent(null, 100, DriftScope.EVERYTHING))).hasSize(8);
  }

  @Test
  void secretValuesAreMaskedBeforeStorageEvenWhenTheAgentDidNot() throws Exception {
    DriftedObject creds = object("creds");
    JsonObject field = creds.fields().getJsonObject(0);
    assertThat(field.getString("desired")).isEqualTo(SecretMasking.MASK);
    assertThat(field.getString("live")).isEqualTo(SecretMasking.MASK);

    String stored =
        get(fx.pool.query("SELECT string_agg(fields::text, '') FROM drift_events").execute())
            .iterator()
            .next()
            .getString(0);
    assertThat(stored).doesNotContain("aHVudGVyMg").doesNotContain("c2VjcmV0");
  }

  @Test
  void secretValuesStoredUnmaskedBeforeThisVersionAreMaskedWhenShown() throws Exception {
    JsonObject annotations =
        new JsonObject()
            .put(
                "kubectl.kubernetes.io/last-applied-configuration",
                "{\"data\":{\"token\":\"dG9wc2VjcmV0\"}}")
            .put("team", "payments");
    JsonObject secret =
        new JsonObject()
            .put("kind", "Secret")
            .put("data", new JsonObject().put("token", "dG9wc2VjcmV0"))
            .put("stringData", new JsonObject().put("pw", "hunter2"))
            .put("metadata", new JsonObject().put("annotations", annotations));
    JsonArray leaked =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("path", "")
                    .put("desired", secret.encode())
                    .put("live", "null"))
            .add(
                new JsonObject()
                    .put("path", "/stringData/pw")
                    .put("desired", "\"hunter2\"")
                    .put("live", "\"hunter3\""));
    get(
        fx.pool
            .preparedQuery(
                "INSERT INTO drift_events (cluster, application, api_group, kind, namespace, name,"
                    + " fields, change, detected_at) VALUES ('east', 'billing-east', '', 'Secret',"
                    + " 'ns', 'old', $1, 'deleted', now())")
            .execute(Tuple.of(leaked)));

    String report = report(DriftQuery.all().withHealed(false)).toJson().encode();
    String recent =
        new JsonArray(get(fx.drift.recent("billing-east", 10, DriftScope.EVERYTHING))).encode();
    for (String shown : List.of(report, recent)) {
      assertThat(shown)
          .contains("old")
          .contains("payments")
          .doesNotContain("dG9wc2VjcmV0")
          .doesNotContain("hunter");
    }
    DriftedObject old = object("old");
    JsonObject whole = new JsonObject(old.fields().getJsonObject(0).getString("desired"));
    assertThat(whole.getJsonObject("data").getString("token")).isEqualTo("++++++++");
    assertThat(old.fields().getJsonObject(0).getString("live")).isEqualTo("null");
  }

  @Test
  void eventsStoredBeforeTheReportExistedAreBackfilled() throws Exception {
    Database db = TestDatabases.fresh();
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.connectOptions().getUser(), db.connectOptions().getPassword())
        .locations("classpath:db/migration")
        .target("3")
        .load()
        .migrate();
    try (var c =
            java.sql.DriverManager.getConnection(
                db.jdbcUrl(), db.connectOptions().getUser(), db.connectOptions().getPassword());
        var s = c.createStatement()) {
      s.execute(
          "INSERT INTO applications (name, project, cluster, document, generation)"
              + " VALUES ('a', 'p', 'c', '{}', 1)");
      s.execute(
          "INSERT INTO drift_events (cluster, application, kind, name, fields, change, detected_at,"
              + " healed_at) VALUES"
              + " ('c', 'a', 'ConfigMap', 'x', '[{\"path\":\"/data/k\",\"desired\":\"1\",\"live\":\"old\"}]',"
              + "  'edited', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'),"
              + " ('c', 'a', 'ConfigMap', 'x', '[{\"path\":\"/data/k\",\"desired\":\"1\",\"live\":\"new\"}]',"
              + "  'edited', '2026-01-02T00:00:00Z', NULL)");
    }
    try (DriftFixture migrated = new DriftFixture(db)) {
      DriftReport r =
          get(migrated.drift.report(DriftQuery.all(), DriftScope.EVERYTHING, ProjectTeams.NONE));
      assertThat(r.items()).hasSize(1);
      DriftedObject x = r.items().get(0);
      assertThat(x.occurrences()).isEqualTo(2);
      assertThat(x.heals()).isEqualTo(1);
      assertThat(x.healed()).isFalse();
      assertThat(x.firstSeen().toString()).isEqualTo("2026-01-01T00:00:00Z");
      assertThat(x.fields().getJsonObject(0).getString("live")).isEqualTo("new");
    }
  }

  @Test
  void anApplicationMovedToAnotherProjectTakesItsDriftAlong() throws Exception {
    get(
        fx.pool
            .query("UPDATE applications SET project = 'search' WHERE name = 'billing-west'")
            .execute());
    assertThat(object("web").project()).isEqualTo("search");
    assertThat(names(report(DriftQuery.all().withProject("billing"))))
        .containsExactly("cm-a", "creds");
    DriftReport billingOnly =
        get(fx.drift.report(DriftQuery.all(), projects(Set.of("billing")), TEAMS));
    assertThat(names(billingOnly)).as("out of the old project's view").doesNotContain("web");
    fx.record(
        "west", event("billing-west", "Deployment", "web", 40, -1, "/spec/replicas", "2", "9"));
    assertThat(object("web").project()).isEqualTo("search");
  }

  @Test
  void theStreamedJsonIsTheSameDocumentAsTheTree() throws Exception {
    for (DriftQuery q :
        List.of(
            DriftQuery.all(), DriftQuery.all().withPage(2, 2), DriftQuery.all().withCluster("x"))) {
      DriftReport r = report(q);
      assertThat(new JsonObject(DriftJson.render(r))).isEqualTo(r.toJson());
    }
  }

  @Test
  void deletingAnApplicationRemovesItsDrift() throws Exception {
    get(fx.pool.query("DELETE FROM applications WHERE name = 'billing-west'").execute());
    assertThat(names(report(DriftQuery.all()))).doesNotContain("web");
  }
}
