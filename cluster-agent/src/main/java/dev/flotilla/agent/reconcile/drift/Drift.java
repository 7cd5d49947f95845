package dev.flotilla.agent.reconcile.drift;

import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One occurrence of a managed object differing from Git, as it stands now: open while it differs,
 * closed ({@code healedAt} set) once it is equal again. Every report of one occurrence carries the
 * same {@code detectedAt}.
 *
 * @param application the owning Application
 * @param object which object
 * @param kind drift (live changed) or pending sync (Git moved on)
 * @param change "edited", "deleted", "missing", or why else it is out of sync (e.g. "requires
 *     pruning")
 * @param fields what differs (the last difference seen while open), Secret values masked
 * @param detectedAt when the difference was first observed
 * @param healedAt when the object was seen equal to Git again; empty while it differs
 * @param healedBy what made it equal; present exactly when {@code healedAt} is
 */
public record Drift(
    String application,
    ObjectKey object,
    DriftKind kind,
    String change,
    List<FieldDiff> fields,
    Instant detectedAt,
    Optional<Instant> healedAt,
    Optional<HealedBy> healedBy) {

  public static final String EDITED = "edited";
  public static final String DELETED = "deleted";
  public static final String MISSING = "missing";

  public Drift {
    fields = List.copyOf(fields);
    if (healedAt.isPresent() != healedBy.isPresent()) {
      throw new IllegalArgumentException("healedAt and healedBy go together");
    }
  }

  /** An open occurrence. */
  static Drift open(
      String application,
      ObjectKey object,
      DriftKind kind,
      String change,
      List<FieldDiff> fields,
      Instant detectedAt) {
    return new Drift(
        application, object, kind, change, fields, detectedAt, Optional.empty(), Optional.empty());
  }

  /** This occurrence, closed. */
  Drift closed(Instant at, HealedBy by) {
    return new Drift(
        application, object, kind, change, fields, detectedAt, Optional.of(at), Optional.of(by));
  }

  public boolean healed() {
    return healedAt.isPresent();
  }

  public boolean deleted() {
    return DELETED.equals(change);
  }

  /** The control-plane message for this drift. */
  public DriftEvent toProto() {
    boolean absent = !healed() && (deleted() || MISSING.equals(change));
    DriftEvent.Builder b =
        DriftEvent.newBuilder()
            .setApplication(application)
            .setResource(
                ResourceStatus.newBuilder()
                    .setGroup(object.group())
                    .setVersion(object.version())
                    .setKind(object.kind())
                    .setNamespace(object.namespace())
                    .setName(object.name())
                    .setSyncStatus(
                        healed()
                            ? SyncStatus.SYNC_STATUS_SYNCED
                            : SyncStatus.SYNC_STATUS_OUT_OF_SYNC)
                    .setHealth(
                        absent
                            ? HealthStatus.HEALTH_STATUS_MISSING
                            : HealthStatus.HEALTH_STATUS_UNKNOWN)
                    .setMessage(change))
            .setDetectedAtUnixMs(detectedAt.toEpochMilli())
            .setHealedAtUnixMs(healedAt.map(Instant::toEpochMilli).orElse(0L))
            .setHealedBy(healedBy.map(HealedBy::label).orElse(""))
            .setDriftKind(
                kind == DriftKind.PENDING_SYNC
                    ? dev.flotilla.proto.agent.v1.DriftKind.DRIFT_KIND_PENDING_SYNC
                    : dev.flotilla.proto.agent.v1.DriftKind.DRIFT_KIND_DRIFT);
    for (FieldDiff f : fields) {
      b.addFields(
          dev.flotilla.proto.agent.v1.FieldDiff.newBuilder()
              .setPath(f.path())
              .setDesired(f.desired() == null ? "null" : f.desired())
              .setLive(f.live() == null ? "null" : f.live()));
    }
    return b.build();
  }
}
