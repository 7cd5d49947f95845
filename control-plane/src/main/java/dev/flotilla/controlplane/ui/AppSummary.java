package dev.flotilla.controlplane.ui;

import java.time.Instant;
import java.util.Map;

/**
 * One row of the Applications page: just what the list, the tiles and the counts show, so that a
 * fleet of 10,000 is read in one light query.
 *
 * @param lastSyncedAt null before the first sync
 */
public record AppSummary(
    String name,
    String project,
    String cluster,
    String applicationSet,
    String syncStatus,
    String health,
    String healthMessage,
    String repoUrl,
    String targetRevision,
    String revision,
    Instant lastSyncedAt,
    Map<String, String> labels) {}
