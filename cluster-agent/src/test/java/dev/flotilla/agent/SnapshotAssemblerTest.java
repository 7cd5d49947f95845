package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.proto.SnapshotChunks;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.SnapshotEnd;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {

  private static final List<Assignment> APPS =
      IntStream.range(0, 10)
          .mapToObj(
              i ->
                  Assignment.newBuilder()
                      .setName("app-" + i)
                      .setGeneration(i + 1)
                      .setSpecJson("{\"pad\":\"" + "x".repeat(300) + "\"}")
                      .build())
          .toList();

  /** Begin, 10 chunks of one assignment each, End. */
  private static final List<ControlMessage> PARTS = SnapshotChunks.of(APPS, List.of("kept"), 400);

  @Test
  void aCompleteSnapshotIsHandedOverWhole() {
    assertThat(PARTS).hasSize(12);
    SnapshotAssembler assembler = new SnapshotAssembler();
    assembler.begin(PARTS.get(0).getSnapshotBegin());
    PARTS.subList(1, 11).forEach(m -> assembler.chunk(m.getSnapshotChunk()));

    SnapshotAssembler.Complete complete = assembler.end(PARTS.get(11).getSnapshotEnd());

    assertThat(complete.assignments()).isEqualTo(APPS);
    assertThat(complete.heldBack()).containsExactly("kept");
    assertThat(assembler.isOpen()).isFalse();
  }

  @Test
  void aSnapshotCutShortIsDiscardedAndTheNextOneStartsClean() {
    SnapshotAssembler assembler = new SnapshotAssembler();
    assembler.begin(PARTS.get(0).getSnapshotBegin());
    assembler.chunk(PARTS.get(1).getSnapshotChunk());
    assertThat(assembler.progress()).contains("1 of 10 chunk(s)");

    assembler.discard(); // the stream ended

    assertThat(assembler.isOpen()).isFalse();
    assertThatThrownBy(() -> assembler.end(PARTS.get(11).getSnapshotEnd()))
        .hasMessage("SnapshotEnd arrived without a SnapshotBegin");
    assembler.begin(PARTS.get(0).getSnapshotBegin());
    PARTS.subList(1, 11).forEach(m -> assembler.chunk(m.getSnapshotChunk()));
    assertThat(assembler.end(PARTS.get(11).getSnapshotEnd()).assignments()).isEqualTo(APPS);
  }

  @Test
  void missingOrReorderedChunksAndAWrongChecksumAreRefusedWithWhatWentWrong() {
    SnapshotAssembler assembler = new SnapshotAssembler();
    assembler.begin(PARTS.get(0).getSnapshotBegin());
    assembler.chunk(PARTS.get(1).getSnapshotChunk());
    assertThatThrownBy(() -> assembler.chunk(PARTS.get(3).getSnapshotChunk()))
        .hasMessage("snapshot chunk 2 arrived where chunk 1 was due");
    assertThat(assembler.isOpen()).as("discarded").isFalse();
    assembler.chunk(PARTS.get(4).getSnapshotChunk());
    assertThat(assembler.end(PARTS.get(11).getSnapshotEnd()))
        .as("the rest of a refused snapshot is dropped without another error")
        .isNull();

    assembler.begin(PARTS.get(0).getSnapshotBegin());
    PARTS.subList(1, 10).forEach(m -> assembler.chunk(m.getSnapshotChunk()));
    assertThatThrownBy(() -> assembler.end(PARTS.get(11).getSnapshotEnd()))
        .hasMessage("incomplete snapshot: 9 of 10 chunk(s), 9 of 10 assignment(s)");

    assembler.begin(PARTS.get(0).getSnapshotBegin());
    PARTS.subList(1, 11).forEach(m -> assembler.chunk(m.getSnapshotChunk()));
    assertThatThrownBy(() -> assembler.end(SnapshotEnd.newBuilder().setChecksum("bad").build()))
        .hasMessageStartingWith("snapshot checksum ")
        .hasMessageContaining("does not match");
  }

  @Test
  void theBackoffResetsOnlyOnceTheAgentHoldsEverythingNotAtTheWelcome() {
    ControlMessage welcome =
        ControlMessage.newBuilder()
            .setWelcome(dev.flotilla.proto.agent.v1.Welcome.newBuilder().setInSync(false))
            .build();
    ControlMessage inSync =
        ControlMessage.newBuilder()
            .setWelcome(dev.flotilla.proto.agent.v1.Welcome.newBuilder().setInSync(true))
            .build();
    assertThat(ControlPlaneConnection.holdsCompleteAssignments(welcome)).isFalse();
    assertThat(ControlPlaneConnection.holdsCompleteAssignments(PARTS.get(0))).isFalse();
    assertThat(ControlPlaneConnection.holdsCompleteAssignments(PARTS.get(1))).isFalse();
    assertThat(ControlPlaneConnection.holdsCompleteAssignments(PARTS.get(11))).isTrue();
    assertThat(ControlPlaneConnection.holdsCompleteAssignments(inSync)).isTrue();
    assertThat(
            ControlPlaneConnection.holdsCompleteAssignments(
                SnapshotChunks.of(APPS, List.of(), Integer.MAX_VALUE).get(0)))
        .isTrue();
  }
}
