package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.proto.AssignmentChecksum;
import dev.flotilla.proto.agent.v1.Assignment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AssignmentStoreTest {

  @TempDir Path dir;

  private static Assignment a(String name, long generation) {
    return Assignment.newBuilder()
        .setName(name)
        .setGeneration(generation)
        .setSpecJson("{}")
        .build();
  }

  @Test
  void survivesARestart() {
    AssignmentStore store = new AssignmentStore(dir.resolve("state.json"));
    store.upsert(a("web", 3));
    store.upsert(a("db", 5));

    AssignmentStore reopened = new AssignmentStore(dir.resolve("state.json"));
    assertThat(reopened.all()).extracting(Assignment::getName).containsExactly("db", "web");
    assertThat(reopened.checksum()).isEqualTo(store.checksum()).isNotEmpty();
    assertThat(reopened.highestGeneration()).isEqualTo(5);
  }

  @Test
  void takesTheSameGenerationWhenASyncWindowOpensOrCloses() {
    AssignmentStore store = new AssignmentStore(dir.resolve("state.json"));
    Assignment open = a("web", 3);
    Assignment closed =
        open.toBuilder().setAutoSyncBlocked(true).setAutoSyncBlockedReason("deny").build();
    assertThat(store.upsert(open)).isTrue();
    assertThat(store.upsert(closed)).as("window closed").isTrue();
    assertThat(store.upsert(closed)).as("redelivery").isFalse();
    assertThat(store.get("web").orElseThrow().getAutoSyncBlocked()).isTrue();
    assertThat(store.upsert(a("web", 2))).as("older generation, still ignored").isFalse();
    assertThat(store.upsert(open)).as("window open again").isTrue();
    assertThat(store.get("web").orElseThrow().getAutoSyncBlocked()).isFalse();
  }

  @Test
  void ignoresStaleAndDuplicateDeliveries() {
    AssignmentStore store = new AssignmentStore(dir.resolve("state.json"));
    assertThat(store.upsert(a("web", 3))).isTrue();
    assertThat(store.upsert(a("web", 3))).as("redelivery").isFalse();
    assertThat(store.upsert(a("web", 2))).as("out of order").isFalse();
    assertThat(store.upsert(a("web", 4))).isTrue();
    assertThat(store.get("web").orElseThrow().getGeneration()).isEqualTo(4);
  }

  @Test
  void aSnapshotReplacesEverythingAndNamesWhatIsGone() {
    AssignmentStore store = new AssignmentStore(dir.resolve("state.json"));
    store.upsert(a("web", 1));
    store.upsert(a("old", 2));
    List<Assignment> gone = store.replaceAll(List.of(a("web", 7), a("new", 8)));
    assertThat(gone).extracting(Assignment::getName).containsExactly("old");
    assertThat(store.all()).extracting(Assignment::getName).containsExactly("new", "web");
  }

  @Test
  void checksumMatchesTheControlPlanesAndIgnoresOrder() {
    AssignmentStore store = new AssignmentStore(dir.resolve("state.json"));
    store.upsert(a("b", 2));
    store.upsert(a("a", 1));
    assertThat(store.checksum()).isEqualTo(AssignmentChecksum.of(List.of(a("a", 1), a("b", 2))));
    assertThat(store.checksum()).isNotEqualTo(AssignmentChecksum.of(List.of(a("a", 1), a("b", 3))));
    assertThat(new AssignmentStore(dir.resolve("empty.json")).checksum()).isEmpty();
  }
}
