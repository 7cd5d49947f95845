package dev.flotilla.agent;

import dev.flotilla.proto.AssignmentChecksum;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.SnapshotBegin;
import dev.flotilla.proto.agent.v1.SnapshotChunk;
import dev.flotilla.proto.agent.v1.SnapshotEnd;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Collects a streamed snapshot (SnapshotBegin, chunks, SnapshotEnd) so the agent replaces its
 * assignments only with a complete one: parts out of order, a wrong count or checksum, or a stream
 * that ends midway discard what was collected, and the agent keeps what it held until the next
 * connection sends a fresh snapshot. Used from one gRPC thread at a time.
 */
final class SnapshotAssembler {

  /** A complete snapshot, ready to replace the assignments. */
  record Complete(List<Assignment> assignments, Set<String> heldBack) {}

  private SnapshotBegin begin;
  private List<Assignment> collected;
  private int nextChunk;

  /** A snapshot was refused: its remaining parts are dropped quietly until the next begins. */
  private boolean skipping;

  synchronized void begin(SnapshotBegin message) {
    skipping = false;
    begin = message;
    collected = new ArrayList<>(message.getAssignments());
    nextChunk = 0;
  }

  /**
   * Adds a chunk.
   *
   * @throws IllegalStateException when no snapshot is open or the chunk is not the next one
   */
  synchronized void chunk(SnapshotChunk message) {
    if (begin == null && skipping) {
      return;
    }
    if (begin == null) {
      throw new IllegalStateException(
          "snapshot chunk " + message.getIndex() + " arrived without a SnapshotBegin");
    }
    if (message.getIndex() != nextChunk) {
      int expected = nextChunk;
      discard();
      skipping = true;
      throw new IllegalStateException(
          "snapshot chunk " + message.getIndex() + " arrived where chunk " + expected + " was due");
    }
    nextChunk++;
    collected.addAll(message.getAssignmentsList());
  }

  /**
   * Closes the snapshot; null when it was already refused (the refusal was reported then).
   *
   * @throws IllegalStateException when it is incomplete or does not match what SnapshotBegin said
   */
  synchronized Complete end(SnapshotEnd message) {
    SnapshotBegin opened = begin;
    List<Assignment> all = collected;
    int chunks = nextChunk;
    boolean refused = skipping;
    discard();
    if (opened == null && refused) {
      return null;
    }
    if (opened == null) {
      throw new IllegalStateException("SnapshotEnd arrived without a SnapshotBegin");
    }
    if (chunks != opened.getChunks() || all.size() != opened.getAssignments()) {
      throw new IllegalStateException(
          "incomplete snapshot: "
              + chunks
              + " of "
              + opened.getChunks()
              + " chunk(s), "
              + all.size()
              + " of "
              + opened.getAssignments()
              + " assignment(s)");
    }
    String checksum = AssignmentChecksum.of(all);
    if (!checksum.equals(opened.getChecksum()) || !checksum.equals(message.getChecksum())) {
      throw new IllegalStateException(
          "snapshot checksum " + checksum + " does not match " + opened.getChecksum());
    }
    return new Complete(all, Set.copyOf(opened.getHeldBackList()));
  }

  /** True while a snapshot is being collected. */
  synchronized boolean isOpen() {
    return begin != null;
  }

  /** Forgets a partial snapshot (the stream ended). */
  synchronized void discard() {
    skipping = false;
    begin = null;
    collected = null;
    nextChunk = 0;
  }

  /** The open snapshot's progress, for logs. */
  synchronized Optional<String> progress() {
    return begin == null
        ? Optional.empty()
        : Optional.of(nextChunk + " of " + begin.getChunks() + " chunk(s)");
  }
}
