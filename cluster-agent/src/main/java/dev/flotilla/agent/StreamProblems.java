package dev.flotilla.agent;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.StreamProblem;
import io.grpc.Status;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Problems on the agent's side of the stream (a message over its inbound limit, a broken streamed
 * snapshot), logged as errors once per occurrence, that is once per reconnect backoff step, and
 * reported to the control plane: the reason of a cancellation never reaches the other end by
 * itself, so without this a wedged agent would look connected and its Applications Synced.
 */
final class StreamProblems {

  private static final Logger LOG = LoggerFactory.getLogger(StreamProblems.class);

  private final String cluster;
  private final Predicate<AgentMessage> send;
  private StreamProblem pending;
  private boolean shownUpstream;

  /** {@code send} returns false when the message could not be sent (not connected). */
  StreamProblems(String cluster, Predicate<AgentMessage> send) {
    this.cluster = cluster;
    this.send = send;
  }

  /**
   * The stream ended with {@code status}; when the cause is on this side (the agent could not take
   * what it was sent), logs it and keeps it for the control plane.
   */
  void connectionLost(Status status) {
    if (status.getCode() != Status.Code.RESOURCE_EXHAUSTED
        && !(status.getCode() == Status.Code.INTERNAL && isLocal(status))) {
      return;
    }
    String message =
        "the control plane sent a message this agent cannot take ("
            + status.getCode()
            + ": "
            + status.getDescription()
            + "); the agent keeps reconciling its last complete assignments and reconnects with"
            + " backoff";
    LOG.error("cluster '{}': {}", cluster, message);
    record(status.getCode().name(), message);
  }

  /** A streamed snapshot was refused (out of order, incomplete, checksum mismatch). */
  void snapshotRefused(String why) {
    String message =
        "a streamed snapshot was refused (" + why + "); the agent keeps its last complete one";
    LOG.error("cluster '{}': {}", cluster, message);
    record("DATA_LOSS", message);
    flush();
  }

  /** After a Welcome: tells the control plane about a problem seen since it last heard. */
  synchronized void flush() {
    if (pending != null && send.test(AgentMessage.newBuilder().setStreamProblem(pending).build())) {
      pending = null;
      shownUpstream = true;
    }
  }

  /** The agent holds a complete snapshot again: clears the problem the control plane shows. */
  synchronized void resolved() {
    pending = null;
    if (shownUpstream
        && send.test(
            AgentMessage.newBuilder()
                .setStreamProblem(StreamProblem.newBuilder().setAtUnixMs(now()))
                .build())) {
      shownUpstream = false;
    }
  }

  private synchronized void record(String code, String message) {
    pending =
        StreamProblem.newBuilder().setCode(code).setMessage(message).setAtUnixMs(now()).build();
  }

  /** An INTERNAL status raised by this process (e.g. a message it could not parse). */
  private static boolean isLocal(Status status) {
    String d = status.getDescription();
    return d != null && d.contains("Invalid protobuf");
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
