package dev.flotilla.controlplane.identity;

import static dev.flotilla.controlplane.identity.IdentityDatabase.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditLogIT {

  private IdentityDatabase db;
  private AuditRepository audit;

  @BeforeEach
  void setUp() {
    db = new IdentityDatabase();
    audit = new AuditRepository(db.pool);
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  private long record(String actor, String action, String kind, String name, AuditResult result)
      throws Exception {
    return await(
        audit.record(
            new AuditEntry(actor, action, kind, name, result, new JsonObject().put("n", name))));
  }

  @Test
  void recordsAndQueriesByActorObjectAndLimitNewestFirst() throws Exception {
    long first = record("alice", "sync", "applications", "shop/web", AuditResult.ALLOW);
    long second = record("bob", "delete", "applications", "shop/web", AuditResult.DENY);
    long third = record("alice", "update", "projects", "shop", AuditResult.ERROR);
    record("alice", "sync", "applications", "bank/api", AuditResult.ALLOW);

    List<AuditRecord> all = await(audit.query(AuditQuery.all()));
    assertThat(all).hasSize(4);
    assertThat(all.get(3).id()).isEqualTo(first);
    assertThat(all.get(3).result()).isEqualTo(AuditResult.ALLOW);
    assertThat(all.get(3).details()).isEqualTo(new JsonObject().put("n", "shop/web"));
    assertThat(all.get(3).at()).isNotNull();

    assertThat(await(audit.query(AuditQuery.all().byActor("alice"))))
        .extracting(AuditRecord::actor)
        .containsOnly("alice")
        .hasSize(3);
    assertThat(await(audit.query(AuditQuery.all().byObject("applications", "shop/web"))))
        .extracting(AuditRecord::id)
        .containsExactly(second, first);
    assertThat(await(audit.query(AuditQuery.all().byActor("alice").byObject("projects", "shop"))))
        .extracting(AuditRecord::id)
        .containsExactly(third);
    assertThat(await(audit.query(AuditQuery.all().byObject("applications", null)))).hasSize(3);
    assertThat(await(audit.query(AuditQuery.all().limit(2)))).hasSize(2);
    assertThat(new AuditQuery(null, null, null, null, null, 1_000_000).limit())
        .isEqualTo(AuditQuery.MAX_LIMIT);
    assertThat(await(audit.query(AuditQuery.all().byActor("carol")))).isEmpty();
  }

  @Test
  void keysetPagesReturnEveryLineOnceInOrderEvenWithSharedTimestampsAndNewLines() throws Exception {
    java.util.List<Long> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      ids.add(record("alice", "sync", "applications", "shop/web" + i, AuditResult.ALLOW));
    }
    // Lines written in one transaction share a timestamp; the id breaks the tie.
    await(db.pool.query("UPDATE audit_log SET at = '2026-11-22T10:00:00Z'").execute());
    java.util.List<Long> expected = new java.util.ArrayList<>(ids);
    java.util.Collections.reverse(expected);

    java.util.List<Long> seen = new java.util.ArrayList<>();
    dev.flotilla.controlplane.query.KeysetToken after = null;
    for (int page = 0; page < 10; page++) {
      List<AuditRecord> records = await(audit.query(AuditQuery.all().limit(3).after(after)));
      if (records.isEmpty()) {
        break;
      }
      records.forEach(r -> seen.add(r.id()));
      AuditRecord last = records.get(records.size() - 1);
      after = new dev.flotilla.controlplane.query.KeysetToken(last.at().toInstant(), last.id());
      // A newer line arriving between pages must not shift the pages that follow.
      record("bob", "sync", "applications", "late" + page, AuditResult.ALLOW);
    }
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void retentionRemovesOnlyEntriesOlderThanIt() throws Exception {
    long old = record("alice", "sync", "applications", "shop/web", AuditResult.ALLOW);
    long recent = record("bob", "sync", "applications", "shop/web", AuditResult.ALLOW);
    await(
        db.pool
            .preparedQuery("UPDATE audit_log SET at = now() - interval '40 days' WHERE id = $1")
            .execute(io.vertx.sqlclient.Tuple.of(old)));

    assertThat(await(audit.purgeOlderThan(java.time.Duration.ofDays(30)))).isEqualTo(1);
    assertThat(await(audit.query(AuditQuery.all())))
        .extracting(AuditRecord::id)
        .containsExactly(recent);
    assertThat(await(audit.purgeOlderThan(java.time.Duration.ofDays(30)))).isZero();
  }

  @Test
  void queriesByTimeRangeFromInclusiveToExclusive() throws Exception {
    long a = record("alice", "sync", "applications", "a", AuditResult.ALLOW);
    long b = record("alice", "sync", "applications", "b", AuditResult.ALLOW);
    long c = record("alice", "sync", "applications", "c", AuditResult.ALLOW);
    // Spread the rows out in time on the database clock instead of sleeping between them.
    db.sql("UPDATE audit_log SET at = now() - interval '2 hours' WHERE id = $1", a);
    db.sql("UPDATE audit_log SET at = now() - interval '1 hour' WHERE id = $1", b);
    Instant bAt =
        db.sql("SELECT at FROM audit_log WHERE id = $1", b)
            .iterator()
            .next()
            .getOffsetDateTime(0)
            .toInstant();

    assertThat(await(audit.query(AuditQuery.all().between(bAt, null))))
        .extracting(AuditRecord::id)
        .containsExactly(c, b);
    assertThat(await(audit.query(AuditQuery.all().between(null, bAt))))
        .extracting(AuditRecord::id)
        .containsExactly(a);
    assertThat(await(audit.query(AuditQuery.all().between(bAt, bAt.plusSeconds(1)))))
        .extracting(AuditRecord::id)
        .containsExactly(b);
    assertThat(await(audit.query(AuditQuery.all().between(Instant.now().plusSeconds(60), null))))
        .isEmpty();
  }

  @Test
  void hostileValuesAreStoredVerbatimAndCannotBreakTheQuery() throws Exception {
    for (String s : UserTeamRepositoryIT.HOSTILE) {
      JsonObject details =
          new JsonObject()
              .put(s, s)
              .put("nested", new JsonObject().put("list", new JsonArray().add(s).add(42)));
      await(audit.record(new AuditEntry(s, s, s, s, AuditResult.DENY, details)));
    }
    for (String s : UserTeamRepositoryIT.HOSTILE) {
      List<AuditRecord> found = await(audit.query(AuditQuery.all().byActor(s).byObject(s, s)));
      assertThat(found)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.actor()).isEqualTo(s);
                assertThat(r.action()).isEqualTo(s);
                assertThat(r.objectKind()).isEqualTo(s);
                assertThat(r.objectName()).isEqualTo(s);
                assertThat(r.details().getString(s)).isEqualTo(s);
                assertThat(r.details().getJsonObject("nested").getJsonArray("list").getString(0))
                    .isEqualTo(s);
              });
    }
    assertThat(await(audit.query(AuditQuery.all().byActor("' OR '1'='1' --")))).isEmpty();
    assertThat(await(audit.query(AuditQuery.all()))).hasSize(UserTeamRepositoryIT.HOSTILE.size());
  }

  @Test
  void whatPostgresCannotStoreIsRecordedAnywayAndSaysSo() throws Exception {
    long id =
        await(
            audit.record(
                new AuditEntry(
                    "eve\u0000",
                    "x".repeat(5000),
                    "applications",
                    "shop/web",
                    AuditResult.ERROR,
                    new JsonObject().put("k\u0000", "v\u0000"))));
    long big =
        await(
            audit.record(
                new AuditEntry(
                    "eve",
                    "sync",
                    "applications",
                    "shop/web",
                    AuditResult.ERROR,
                    new JsonObject().put("body", "y".repeat(100_000)))));

    List<AuditRecord> rows = await(audit.query(AuditQuery.all().byActor("eve\uFFFD")));
    assertThat(rows)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.id()).isEqualTo(id);
              assertThat(r.action()).hasSize(AuditRepository.MAX_FIELD + 1).endsWith("…");
              assertThat(r.details()).isEqualTo(new JsonObject().put("k\uFFFD", "v\uFFFD"));
            });
    AuditRecord truncated = await(audit.query(AuditQuery.all().byActor("eve"))).get(0);
    assertThat(truncated.id()).isEqualTo(big);
    assertThat(truncated.details().getBoolean("truncated")).isTrue();
  }
}
