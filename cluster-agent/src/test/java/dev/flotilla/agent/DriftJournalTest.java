package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftJournalTest {

  @TempDir Path tmp;

  @Test
  void unacknowledgedEventsSurviveAReopenAndAcknowledgedOnesDoNot() {
    Path file = tmp.resolve("drift-journal.json");
    List<String> ids;
    try (DriftJournal journal = new DriftJournal(new FileAssignmentBackend(file))) {
      for (int i = 1; i <= 5; i++) {
        journal.add(event("cm-" + i));
      }
      ids = journal.unacknowledged().stream().map(DriftEvent::getId).toList();
      assertThat(ids).doesNotHaveDuplicates().allMatch(id -> !id.isEmpty());
      journal.acknowledge(List.of(ids.get(0), ids.get(2), "unknown-id"));
    }
    try (DriftJournal reopened = new DriftJournal(new FileAssignmentBackend(file))) {
      assertThat(reopened.unacknowledged())
          .extracting(e -> e.getResource().getName())
          .containsExactly("cm-2", "cm-4", "cm-5");
      assertThat(reopened.unacknowledged())
          .extracting(DriftEvent::getId)
          .containsExactly(ids.get(1), ids.get(3), ids.get(4));
    }
  }

  @Test
  void isBoundedDroppingTheOldestAndCountingThem() {
    Path file = tmp.resolve("drift-journal.json");
    try (DriftJournal journal = new DriftJournal(new FileAssignmentBackend(file))) {
      for (int i = 1; i <= DriftJournal.MAX_EVENTS + 5; i++) {
        journal.add(event("cm-" + i));
      }
      assertThat(journal.unacknowledged()).hasSize(DriftJournal.MAX_EVENTS);
      assertThat(journal.unacknowledged().get(0).getResource().getName()).isEqualTo("cm-6");
      assertThat(journal.dropped()).isEqualTo(5);
    }
    try (DriftJournal reopened = new DriftJournal(new FileAssignmentBackend(file))) {
      assertThat(reopened.unacknowledged()).hasSize(DriftJournal.MAX_EVENTS);
      assertThat(reopened.dropped()).isEqualTo(5);
    }
  }

  @Test
  void aLaterReportOfTheSameOccurrenceReplacesTheUnacknowledgedOne() {
    Path file = tmp.resolve("drift-journal.json");
    try (DriftJournal journal = new DriftJournal(new FileAssignmentBackend(file))) {
      DriftEvent opened = journal.add(event("cm-1"));
      journal.add(event("cm-2"));
      DriftEvent closed =
          journal.add(
              event("cm-1").toBuilder()
                  .setHealedAtUnixMs(1_700_000_001_000L)
                  .setHealedBy("manual-revert")
                  .build());

      // One occurrence is one entry: the journal keeps its newest state, not every report of it.
      assertThat(journal.unacknowledged())
          .extracting(e -> e.getResource().getName(), DriftEvent::getHealedBy)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("cm-2", ""),
              org.assertj.core.groups.Tuple.tuple("cm-1", "manual-revert"));
      // An ack of the replaced report (already on its way) leaves the newer one to deliver.
      journal.acknowledge(List.of(opened.getId()));
      assertThat(journal.unacknowledged()).extracting(DriftEvent::getId).contains(closed.getId());
    }
  }

  @Test
  void anUnreadableJournalIsIgnoredRatherThanStoppingTheAgent() throws Exception {
    Path file = tmp.resolve("drift-journal.json");
    Files.writeString(file, "{not json");
    try (DriftJournal journal = new DriftJournal(new FileAssignmentBackend(file))) {
      assertThat(journal.unacknowledged()).isEmpty();
    }
  }

  private static DriftEvent event(String name) {
    return DriftEvent.newBuilder()
        .setApplication("web")
        .setResource(ResourceStatus.newBuilder().setKind("ConfigMap").setName(name))
        .setDetectedAtUnixMs(1_700_000_000_000L)
        .build();
  }
}
