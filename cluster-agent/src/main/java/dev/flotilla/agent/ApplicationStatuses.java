package dev.flotilla.agent;

import dev.flotilla.agent.reconcile.ReconcileResult;
import dev.flotilla.agent.reconcile.ReconcileStatusMapper;
import dev.flotilla.agent.reconcile.SyncState;
import dev.flotilla.git.GitCommit;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.CommitInfo;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import java.time.Clock;
import java.util.Optional;

/**
 * Builds the status the agent reports for an Application from a reconcile's result (or a failure
 * before the reconciler ran), stamped with the agent's clock.
 */
final class ApplicationStatuses {

  private final Clock clock;

  ApplicationStatuses(Clock clock) {
    this.clock = clock;
  }

  /** A reconcile that could not run: sync and health unknown, the reason as the message. */
  static ApplicationStatus.Builder failure(String message, String revision) {
    return ApplicationStatus.newBuilder()
        .setSyncStatus(SyncStatus.SYNC_STATUS_UNKNOWN)
        .setHealth(HealthStatus.HEALTH_STATUS_UNKNOWN)
        .setSyncFailed(true)
        .setMessage(message)
        .setRevision(revision);
  }

  /**
   * What a reconcile found at {@code sha}. The last-synced time moves only when the Application
   * becomes synced at a revision it was not synced at before.
   */
  ApplicationStatus.Builder of(String sha, ReconcileResult r, Optional<ApplicationStatus> before) {
    ApplicationStatus.Builder b = ReconcileStatusMapper.toStatus(r).setRevision(sha);
    ApplicationStatus previous = before.orElse(null);
    if (!r.failed() && r.sync() == SyncState.SYNCED) {
      boolean sameAsBefore =
          previous != null
              && previous.getRevision().equals(sha)
              && previous.getSyncStatus() == SyncStatus.SYNC_STATUS_SYNCED;
      b.setLastSyncedAtUnixMs(sameAsBefore ? previous.getLastSyncedAtUnixMs() : clock.millis());
    } else if (previous != null) {
      b.setLastSyncedAtUnixMs(previous.getLastSyncedAtUnixMs());
    }
    return b;
  }

  /** A commit as the protocol carries it. */
  static CommitInfo commit(GitCommit c) {
    return CommitInfo.newBuilder()
        .setSha(c.sha())
        .setAuthor(c.author())
        .setSubject(c.subject())
        .setCommittedAtUnixMs(c.committedAtMillis())
        .build();
  }

  /** The status of {@code a}'s generation, observed now. */
  ApplicationStatus stamp(Assignment a, ApplicationStatus.Builder builder) {
    return builder
        .setApplication(a.getName())
        .setGeneration(a.getGeneration())
        .setObservedAtUnixMs(clock.millis())
        .build();
  }
}
