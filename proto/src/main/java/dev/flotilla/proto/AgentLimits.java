package dev.flotilla.proto;

/**
 * Sizes both ends of the agent protocol agree on. gRPC's default 4 MiB inbound limit wedged agents
 * (issue 15 item 7), so every limit here is chosen deliberately and they nest: an Application
 * bounded at generation always fits in one upsert, and a snapshot of any size travels in chunks far
 * below the message limit.
 */
public final class AgentLimits {

  private AgentLimits() {}

  /**
   * The largest gRPC message either end accepts on the agent stream (the agent channel's and the
   * control plane's maxInboundMessageSize).
   */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  /**
   * Byte budget of one snapshot chunk. Small enough that an agent built before chunking (4 MiB
   * default) takes every snapshot that fits in one chunk, which is then sent the old way.
   */
  public static final int SNAPSHOT_CHUNK_BYTES = 1024 * 1024;

  /**
   * The largest Application document (serialised JSON) the control plane stores and dispatches.
   * Argo CD keeps Applications in etcd, whose default request limit is 1.5 MiB, so nothing that
   * works there is refused; and it is 8 times under {@link #MAX_MESSAGE_BYTES}, which leaves room
   * for what travels with the spec (the project's resource rules, names, revision) in one upsert.
   */
  public static final int MAX_APPLICATION_BYTES = 2 * 1024 * 1024;
}
