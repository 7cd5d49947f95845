package dev.flotilla.controlplane.cluster;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A registered cluster as users see it; the token hash never leaves the store. {@code
 * streamProblem} is what its agent last reported it could not take from its stream (null: none).
 */
public record Cluster(
    String name,
    String server,
    Map<String, String> labels,
    Map<String, String> annotations,
    OffsetDateTime createdAt,
    OffsetDateTime lastSeenAt,
    String agentVersion,
    boolean connected,
    String streamProblem,
    OffsetDateTime streamProblemAt) {}
