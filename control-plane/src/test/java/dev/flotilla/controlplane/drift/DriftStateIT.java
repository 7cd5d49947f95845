package dev.flotilla.controlplane.drift;

import static dev.flotilla.controlplane.drift.DriftFixture.at;
import static dev.flotilla.controlplane.drift.DriftFixture.event;
import static dev.flotilla.controlplane.drift.DriftFixture.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.DriftKind;
import dev.flotilla.proto.agent.v1.FieldDiff;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drift is a state: the agent reports each occurrence when it opens and again when it closes, and
 * the report folds both into one entry, on a real database.
 */
class DriftStateIT {

  private DriftFixture fx;

  @BeforeEach
  void fleet() throws Exception {
    fx = new DriftFixture();
    fx.app("shop", "billing", "east");
    fx.app("search", "search", "east");
  }

  @AfterEach
  void close() throws Exception {
    fx.close();
  }

  static DriftEvent open(int minute, String live) {
    return event(
        "shop",
        "Deployment",
        "web",
        minute,
        -1,
        "/spec/template/spec/containers/0/image",
        "\"shop:1.0\"",
        live);
  }

  static DriftEvent closed(int minute, String live, int healedMinute, String by) {
    return open(minute, live).toBuilder()
        .setHealedAtUnixMs(at(healedMinute).toEpochMilli())
        .setHealedBy(by)
        .build();
  }

  DriftedObject web() throws Exception {
    return report(DriftQuery.all()).items().stream()
        .filter(o -> o.name().equals("web"))
        .findFirst()
        .orElseThrow();
  }

  DriftReport report(DriftQuery q) throws Exception {
    return get(fx.drift.report(q, DriftScope.EVERYTHING, ProjectTeams.NONE));
  }

  @Test
  void anOccurrenceReportedOpenThenClosedIsOneEntryThatCloses() throws Exception {
    assertThat(fx.record("east", open(1, "\"evil\""))).isTrue();
    assertThat(web().healed()).isFalse();
    assertThat(report(DriftQuery.all().withHealed(false)).items()).hasSize(1);

    assertThat(fx.record("east", closed(1, "\"evil\"", 3, "manual-revert"))).isTrue();

    DriftedObject web = web();
    assertThat(web.occurrences()).isEqualTo(1);
    assertThat(web.recurrences()).isZero();
    assertThat(web.heals()).isEqualTo(1);
    assertThat(web.healed()).isTrue();
    assertThat(web.firstSeen()).isEqualTo(at(1));
    assertThat(web.healedAt()).isEqualTo(at(3));
    assertThat(web.healedBy()).isEqualTo("manual-revert");
    assertThat(web.driftKind()).isEqualTo(DriftedObject.DRIFT);
    assertThat(report(DriftQuery.all().withHealed(false)).items())
        .as("drift --unhealed lists only open entries")
        .isEmpty();
  }

  @Test
  void aClosedOccurrenceNeverReopensWhateverArrivesLateOrTwice() throws Exception {
    fx.record("east", open(1, "\"evil\""));
    fx.record("east", closed(1, "\"evil\"", 2, "self-heal"));

    assertThat(fx.record("east", open(1, "\"evil\""))).as("a late open report").isFalse();
    assertThat(fx.record("east", closed(1, "\"evil\"", 2, "self-heal")))
        .as("redelivered")
        .isFalse();

    DriftedObject web = web();
    assertThat(web.occurrences()).isEqualTo(1);
    assertThat(web.healed()).isTrue();
    assertThat(web.healedBy()).isEqualTo("self-heal");
  }

  @Test
  void aCloseArrivingBeforeItsOpenIsStillOneClosedOccurrence() throws Exception {
    fx.record("east", closed(1, "\"evil\"", 2, "resync"));
    fx.record("east", open(1, "\"evil\""));

    assertThat(web().occurrences()).isEqualTo(1);
    assertThat(web().healedBy()).isEqualTo("resync");
  }

  @Test
  void whatDiffersIsRefreshedWhileOpenWithoutCountingAgain() throws Exception {
    fx.record("east", open(1, "\"evil\""));
    assertThat(fx.record("east", open(1, "\"evil\""))).as("the same report again").isFalse();
    assertThat(fx.record("east", open(1, "\"worse\""))).isTrue();

    DriftedObject web = web();
    assertThat(web.occurrences()).isEqualTo(1);
    assertThat(web.fields().getJsonObject(0).getString("live")).isEqualTo("\"worse\"");
    assertThat(web.lastSeen()).isEqualTo(at(1));
  }

  @Test
  void fiveEditsEachPutRightAreFiveOccurrencesWithTheirOwnTimes() throws Exception {
    for (int i = 0; i < 5; i++) {
      fx.record("east", open(10 * i, "\"evil-" + i + "\""));
      fx.record("east", closed(10 * i, "\"evil-" + i + "\"", 10 * i + 1, "self-heal"));
    }

    DriftedObject web = web();
    assertThat(web.occurrences()).isEqualTo(5);
    assertThat(web.recurrences()).isEqualTo(4);
    assertThat(web.heals()).isEqualTo(5);
    assertThat(web.firstSeen()).isEqualTo(at(0));
    assertThat(web.lastSeen()).isEqualTo(at(40));
    assertThat(web.healedAt()).isEqualTo(at(41));
    assertThat(web.lastHealedAt()).isEqualTo(at(41));
    List<String> detected =
        get(fx.drift.recent("shop", 10, DriftScope.EVERYTHING)).stream()
            .map(e -> e.getString("detectedAt"))
            .toList();
    assertThat(detected).hasSize(5).doesNotHaveDuplicates();
  }

  @Test
  void anOlderAgentsHealIsSelfHealAndItsKindDrift() throws Exception {
    fx.record("east", event("shop", "ConfigMap", "cfg", 1, 2, "/data/k", "\"v\"", "\"w\""));

    DriftedObject cfg = report(DriftQuery.all().withKind("ConfigMap")).items().get(0);
    assertThat(cfg.healedBy()).isEqualTo("self-heal");
    assertThat(cfg.driftKind()).isEqualTo("drift");
  }

  @Test
  void aPendingSyncIsReportedAsSuchAndClosedBySync() throws Exception {
    DriftEvent pending =
        event("shop", "ConfigMap", "cfg", 1, -1, "/data/k", "\"new\"", "\"old\"").toBuilder()
            .setDriftKind(DriftKind.DRIFT_KIND_PENDING_SYNC)
            .build();
    fx.record("east", pending);

    DriftedObject cfg = report(DriftQuery.all().withKind("ConfigMap")).items().get(0);
    assertThat(cfg.driftKind()).isEqualTo("pending-sync");
    assertThat(cfg.toJson().getString("driftKind")).isEqualTo("pending-sync");
    assertThat(DriftCsv.render(report(DriftQuery.all()))).contains(",pending-sync,0\r\n");

    fx.record(
        "east",
        pending.toBuilder().setHealedAtUnixMs(at(2).toEpochMilli()).setHealedBy("sync").build());
    cfg = report(DriftQuery.all().withKind("ConfigMap")).items().get(0);
    assertThat(cfg.healedBy()).isEqualTo("sync");
    assertThat(DriftGrpcService.proto(cfg).getHealedBy()).isEqualTo("sync");
  }

  void status(String application, String sync) throws Exception {
    get(
        fx.pool
            .preparedQuery(
                "INSERT INTO application_status (application, generation, sync_status, health)"
                    + " VALUES ($1, 1, $2, 'Healthy')")
            .execute(Tuple.of(application, sync)));
  }

  @Test
  void anApplicationOutOfSyncWithoutAnOpenEntryIsNamedSoTheReportNeverSaysAllMatches()
      throws Exception {
    status("shop", "OutOfSync");
    status("search", "Synced");

    DriftReport r = report(DriftQuery.all());
    assertThat(r.items()).isEmpty();
    assertThat(r.outOfSyncApplications()).containsExactly("shop");
    assertThat(r.toJson().getJsonArray("outOfSyncApplications").getList()).containsExactly("shop");
    assertThat(DriftGrpcService.proto(r).getOutOfSyncApplicationsList()).containsExactly("shop");
    assertThat(
            get(fx.drift.report(
                    DriftQuery.all(),
                    (project, application) -> !project.equals("billing"),
                    ProjectTeams.NONE))
                .outOfSyncApplications())
        .as("hidden like its drift")
        .isEmpty();
    assertThat(report(DriftQuery.all().withCluster("west")).outOfSyncApplications()).isEmpty();

    // Once the agent's report of its objects has arrived, the entries speak for it.
    fx.record("east", open(1, "\"evil\""));
    assertThat(report(DriftQuery.all()).outOfSyncApplications()).isEmpty();
  }

  @Test
  void reportsStoredTwiceBeforeThisVersionBecomeOneOccurrence() throws Exception {
    Database db = TestDatabases.fresh();
    Flyway.configure()
        .dataSource(db.jdbcUrl(), db.connectOptions().getUser(), db.connectOptions().getPassword())
        .locations("classpath:db/migration")
        .target("11")
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
              + " ('c', 'a', 'ConfigMap', 'x', '[]', 'edited', '2026-01-01T00:00:00Z', NULL),"
              + " ('c', 'a', 'ConfigMap', 'x', '[]', 'edited', '2026-01-01T00:00:00Z',"
              + "  '2026-01-01T00:00:05Z'),"
              + " ('c', 'a', 'ConfigMap', 'x', '[]', 'edited', '2026-01-02T00:00:00Z', NULL)");
    }
    try (DriftFixture migrated = new DriftFixture(db)) {
      DriftReport r =
          get(migrated.drift.report(DriftQuery.all(), DriftScope.EVERYTHING, ProjectTeams.NONE));
      DriftedObject x = r.items().get(0);
      assertThat(x.occurrences()).isEqualTo(2);
      assertThat(x.heals()).isEqualTo(1);
      assertThat(x.lastHealedAt().toString()).isEqualTo("2026-01-01T00:00:05Z");
      assertThat(x.healed()).isFalse();
      assertThat(Set.of(x.healedBy() == null ? "open" : x.healedBy())).containsExactly("open");
    }
  }

  @Test
  void fieldDiffsOfASecretStayMaskedWhenAnOccurrenceIsUpdated() throws Exception {
    DriftEvent secret =
        DriftEvent.newBuilder(
                event("shop", "Secret", "creds", 1, -1, "/data/p", "\"c2VjcmV0\"", "\"aHVudGVy\""))
            .build();
    fx.record("east", secret);
    fx.record(
        "east",
        secret.toBuilder()
            .clearFields()
            .addFields(
                FieldDiff.newBuilder().setPath("/data/p").setDesired("\"x\"").setLive("\"y\""))
            .build());

    String fields = report(DriftQuery.all().withKind("Secret")).items().get(0).fieldsJson();
    assertThat(fields).doesNotContain("aHVudGVy").doesNotContain("\"y\"");
  }
}
