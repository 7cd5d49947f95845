package dev.flotilla.proto;

import java.time.Duration;

/**
 * Bounds of the resource proxy (ResourceRequest / ResourceResponse on the agent stream), agreed by
 * both ends. Every answer is far below {@link AgentLimits#MAX_MESSAGE_BYTES} per part, and the
 * control plane never holds more than {@link #MAX_ANSWER_BYTES} of one answer.
 */
public final class ResourceProxyLimits {

  private ResourceProxyLimits() {}

  /** Byte budget of one ResourceResponse part; a larger answer travels in several parts. */
  public static final int PART_BYTES = 512 * 1024;

  /**
   * The largest answer (all parts of one id, follow excepted) the agent sends; a larger one is
   * refused with RESOURCE_EXHAUSTED naming the limit. Argo CD's largest objects (etcd's 1.5 MiB)
   * fit several times.
   */
  public static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

  /** Log lines returned when the caller gives no tail; Argo CD's UI shows as many. */
  public static final int DEFAULT_TAIL_LINES = 1000;

  /** The most log lines one request returns (per container), whatever tail is asked. */
  public static final int MAX_TAIL_LINES = 10_000;

  /** A longer log line is cut here, marked with "...". */
  public static final int MAX_LINE_CHARS = 16 * 1024;

  /**
   * Pods read for the logs of a workload (a Deployment's Pods), as {@code kubectl logs deploy/x}.
   */
  public static final int MAX_LOG_PODS = 10;

  /** Events returned for one object, newest first. */
  public static final int MAX_EVENTS = 200;

  /** Nodes of a resource tree reported with a status; children beyond are counted, not listed. */
  public static final int MAX_TREE_NODES = 1000;

  /** How long the control plane waits for an answer (or the next part) before giving up. */
  public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  /** The longest a log follow runs before the agent ends it; the client may ask again. */
  public static final Duration MAX_FOLLOW = Duration.ofHours(1);
}
