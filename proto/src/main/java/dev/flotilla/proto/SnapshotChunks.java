package dev.flotilla.proto;

import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Snapshot;
import dev.flotilla.proto.agent.v1.SnapshotBegin;
import dev.flotilla.proto.agent.v1.SnapshotChunk;
import dev.flotilla.proto.agent.v1.SnapshotEnd;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Splits a snapshot into the messages that carry it: one {@link Snapshot} when it fits in a chunk
 * (what agents before chunking understand), otherwise SnapshotBegin, chunks of at most {@code
 * budget} bytes (an assignment larger than that alone in its chunk) and SnapshotEnd.
 */
public final class SnapshotChunks {

  /** Per-field overhead of an assignment inside a repeated field (tag and length varint). */
  private static final int FIELD_OVERHEAD = 6;

  private SnapshotChunks() {}

  public static List<ControlMessage> of(
      List<Assignment> assignments, Collection<String> heldBack, int budget) {
    String checksum = AssignmentChecksum.of(assignments);
    List<List<Assignment>> chunks = new ArrayList<>();
    List<Assignment> current = new ArrayList<>();
    long size = 0;
    long total = 0;
    for (Assignment a : assignments) {
      int bytes = a.getSerializedSize() + FIELD_OVERHEAD;
      total += bytes;
      if (!current.isEmpty() && size + bytes > budget) {
        chunks.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(a);
      size += bytes;
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    for (String name : heldBack) {
      total += name.length() + FIELD_OVERHEAD;
    }
    List<ControlMessage> out = new ArrayList<>();
    if (total <= budget) {
      out.add(
          ControlMessage.newBuilder()
              .setSnapshot(
                  Snapshot.newBuilder()
                      .addAllAssignments(assignments)
                      .addAllHeldBack(heldBack)
                      .setChecksum(checksum))
              .build());
      return out;
    }
    out.add(
        ControlMessage.newBuilder()
            .setSnapshotBegin(
                SnapshotBegin.newBuilder()
                    .setAssignments(assignments.size())
                    .setChunks(chunks.size())
                    .setChecksum(checksum)
                    .addAllHeldBack(heldBack))
            .build());
    for (int i = 0; i < chunks.size(); i++) {
      out.add(
          ControlMessage.newBuilder()
              .setSnapshotChunk(
                  SnapshotChunk.newBuilder().setIndex(i).addAllAssignments(chunks.get(i)))
              .build());
    }
    out.add(
        ControlMessage.newBuilder()
            .setSnapshotEnd(SnapshotEnd.newBuilder().setChecksum(checksum))
            .build());
    return out;
  }
}
