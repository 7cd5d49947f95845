package dev.flotilla.agent.reconcile.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DriftLedgerTest {

  static final ObjectKey CFG = new ObjectKey("", "v1", "ConfigMap", "shop", "cfg");
  static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
  static final List<FieldDiff> HACKED =
      List.of(new FieldDiff("/data/greeting", "\"hello\"", "\"hacked\""));

  final List<Drift> reported = new ArrayList<>();
  final DriftLedger ledger = new DriftLedger(reported::add);

  void differs(int second, List<FieldDiff> fields, String version) {
    ledger.differs(
        "web", CFG, T0.plusSeconds(second), DriftKind.DRIFT, Drift.EDITED, fields, version);
  }

  @Test
  void repeatedObservationsOfTheSameDifferenceAreOneOccurrenceReportedOnce() {
    differs(0, HACKED, "1");
    differs(1, HACKED, "2"); // e.g. a controller writing status after the edit
    differs(2, HACKED, "3");

    assertThat(reported).hasSize(1);
    assertThat(reported.get(0).detectedAt()).isEqualTo(T0);
    assertThat(reported.get(0).healed()).isFalse();
    assertThat(ledger.entry("web", CFG).orElseThrow().liveVersion()).isEqualTo("3");
  }

  @Test
  void aChangeOfWhatDiffersIsReportedAsTheSameOccurrence() {
    differs(0, HACKED, "1");
    differs(5, List.of(new FieldDiff("/data/greeting", "\"hello\"", "\"worse\"")), "2");

    assertThat(reported).hasSize(2);
    assertThat(reported).extracting(Drift::detectedAt).containsOnly(T0);
    assertThat(reported.get(1).fields().get(0).live()).isEqualTo("\"worse\"");
  }

  @Test
  void equalClosesTheOpenEntryOnceWithWhenAndWho() {
    differs(0, HACKED, "1");

    Optional<Drift> closed = ledger.equal("web", CFG, T0.plusSeconds(3), HealedBy.MANUAL_REVERT);
    Optional<Drift> again = ledger.equal("web", CFG, T0.plusSeconds(4), HealedBy.RESYNC);

    assertThat(closed).isPresent();
    assertThat(again).as("nothing open any more").isEmpty();
    assertThat(reported).hasSize(2);
    Drift last = reported.get(1);
    assertThat(last.detectedAt()).isEqualTo(T0);
    assertThat(last.healedAt()).contains(T0.plusSeconds(3));
    assertThat(last.healedBy()).contains(HealedBy.MANUAL_REVERT);
    assertThat(last.toProto().getHealedBy()).isEqualTo("manual-revert");
    assertThat(ledger.openObjects("web")).isEmpty();
  }

  @Test
  void differingAgainAfterAHealIsANewOccurrence() {
    differs(0, HACKED, "1");
    ledger.equal("web", CFG, T0.plusSeconds(1), HealedBy.SELF_HEAL);
    differs(10, HACKED, "5");

    assertThat(reported).extracting(Drift::detectedAt).containsExactly(T0, T0, T0.plusSeconds(10));
    assertThat(reported.get(2).healed()).isFalse();
  }

  @Test
  void anEqualObjectWithoutAnOpenEntryReportsNothing() {
    assertThat(ledger.equal("web", CFG, T0, HealedBy.RESYNC)).isEmpty();
    assertThat(reported).isEmpty();
  }

  @Test
  void aPendingSyncEditedByHandBecomesDriftAndStaysDrift() {
    ledger.differs("web", CFG, T0, DriftKind.PENDING_SYNC, Drift.EDITED, HACKED, "1");
    differs(1, List.of(new FieldDiff("/data/greeting", "\"hello\"", "\"worse\"")), "2");
    ledger.differs(
        "web", CFG, T0.plusSeconds(2), DriftKind.PENDING_SYNC, Drift.EDITED, HACKED, "3");

    assertThat(reported).extracting(Drift::kind).endsWith(DriftKind.DRIFT);
    assertThat(ledger.entry("web", CFG).orElseThrow().drift().kind()).isEqualTo(DriftKind.DRIFT);
    assertThat(reported.get(0).toProto().getDriftKind())
        .isEqualTo(dev.flotilla.proto.agent.v1.DriftKind.DRIFT_KIND_PENDING_SYNC);
  }
}
