package dev.flotilla.proto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SnapshotChunksTest {

  private static Assignment app(String name, int specBytes) {
    return Assignment.newBuilder()
        .setName(name)
        .setGeneration(1)
        .setSpecJson("{\"x\":\"" + "y".repeat(specBytes) + "\"}")
        .build();
  }

  @Test
  void aSnapshotThatFitsInOneChunkIsTheSingleMessageOlderAgentsUnderstand() {
    List<Assignment> apps = List.of(app("a", 10), app("b", 10));

    List<ControlMessage> messages = SnapshotChunks.of(apps, List.of("held"), 1024);

    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).getSnapshot().getAssignmentsList()).isEqualTo(apps);
    assertThat(messages.get(0).getSnapshot().getHeldBackList()).containsExactly("held");
    assertThat(messages.get(0).getSnapshot().getChecksum()).isEqualTo(AssignmentChecksum.of(apps));
  }

  @Test
  void aLargeSnapshotIsStreamedInChunksUnderTheBudgetAndAnOversizedAssignmentTravelsAlone() {
    List<Assignment> apps = IntStream.range(0, 45).mapToObj(i -> app("app-" + i, 100_000)).toList();
    List<Assignment> withHuge =
        new java.util.ArrayList<>(List.of(app("huge", 3 * AgentLimits.SNAPSHOT_CHUNK_BYTES)));
    withHuge.addAll(apps);

    List<ControlMessage> messages =
        SnapshotChunks.of(withHuge, List.of("held"), AgentLimits.SNAPSHOT_CHUNK_BYTES);

    ControlMessage begin = messages.get(0);
    ControlMessage end = messages.get(messages.size() - 1);
    List<ControlMessage> chunks = messages.subList(1, messages.size() - 1);
    assertThat(begin.getSnapshotBegin().getAssignments()).isEqualTo(46);
    assertThat(begin.getSnapshotBegin().getChunks()).isEqualTo(chunks.size());
    assertThat(begin.getSnapshotBegin().getHeldBackList()).containsExactly("held");
    assertThat(begin.getSnapshotBegin().getChecksum())
        .isEqualTo(AssignmentChecksum.of(withHuge))
        .isEqualTo(end.getSnapshotEnd().getChecksum());
    assertThat(chunks.get(0).getSnapshotChunk().getAssignmentsList())
        .extracting(Assignment::getName)
        .containsExactly("huge");
    assertThat(chunks.subList(1, chunks.size()))
        .allSatisfy(c -> assertThat(c.getSerializedSize()).isLessThan(1024 * 1024 + 64));
    assertThat(chunks)
        .extracting(c -> c.getSnapshotChunk().getIndex())
        .containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
    assertThat(
            chunks.stream()
                .flatMap(c -> c.getSnapshotChunk().getAssignmentsList().stream())
                .toList())
        .isEqualTo(withHuge);
  }

  @Test
  void anEmptySnapshotIsOneMessage() {
    assertThat(SnapshotChunks.of(List.of(), List.of(), 1024))
        .singleElement()
        .satisfies(m -> assertThat(m.getSnapshot().getAssignmentsCount()).isZero());
  }
}
