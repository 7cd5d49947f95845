package dev.flotilla.agent;

import dev.flotilla.proto.agent.v1.ControlMessage;
import io.grpc.Status;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of streamed snapshots: collects the parts, hands a complete snapshot over once,
 * and when the stream ends midway drops what was collected and reports why the stream broke.
 */
final class SnapshotReceiver {

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotReceiver.class);

  private final SnapshotAssembler parts = new SnapshotAssembler();
  private final StreamProblems problems;
  private final Consumer<SnapshotAssembler.Complete> apply;

  SnapshotReceiver(StreamProblems problems, Consumer<SnapshotAssembler.Complete> apply) {
    this.problems = problems;
    this.apply = apply;
  }

  /** A SnapshotBegin, SnapshotChunk or SnapshotEnd; called on the gRPC thread, in order. */
  void onPart(ControlMessage message) {
    SnapshotAssembler.Complete complete;
    try {
      switch (message.getKindCase()) {
        case SNAPSHOT_BEGIN -> parts.begin(message.getSnapshotBegin());
        case SNAPSHOT_CHUNK -> parts.chunk(message.getSnapshotChunk());
        case SNAPSHOT_END -> {
          complete = parts.end(message.getSnapshotEnd());
          if (complete != null) { // null: refused at an earlier part, already reported
            LOG.info(
                "received a streamed snapshot of {} assignment(s)", complete.assignments().size());
            apply.accept(complete);
          }
        }
        default -> throw new IllegalArgumentException("not a snapshot part: " + message);
      }
    } catch (IllegalStateException e) {
      problems.snapshotRefused(e.getMessage());
    }
  }

  /** The stream ended: a snapshot not yet complete is dropped; the reason is logged and kept. */
  void connectionLost(Status status) {
    parts
        .progress()
        .ifPresent(
            p ->
                LOG.warn(
                    "stream ended after {} of a streamed snapshot; it is discarded and the"
                        + " assignments held stay as they were",
                    p));
    parts.discard();
    problems.connectionLost(status);
  }
}
