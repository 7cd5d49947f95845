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
 * A managed object found different from Git.
 *
 * @param application the owning Application
 * @param object which object
 * @param deleted true when the object was deleted rather than edited
 * @param fields what differs, Secret values masked
 * @param detectedAt when the watcher saw the change
 * @param healedAt when self-heal reverted it; empty when it was not (yet) reverted
 */
public record Drift(
    String application,
    ObjectKey object,
    boolean deleted,
    List<FieldDiff> fields,
    Instant detectedAt,
    Optional<Instant> healedAt) {

  public Drift {
    fields = List.copyOf(fields);
  }

  public boolean healed() {
    return healedAt.isPresent();
  }

  /** The control-plane message for this drift. */
  public DriftEvent toProto() {
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
                        deleted && !healed()
                            ? HealthStatus.HEALTH_STATUS_MISSING
                            : HealthStatus.HEALTH_STATUS_UNKNOWN)
                    .setMessage(deleted ? "deleted" : "edited"))
            .setDetectedAtUnixMs(detectedAt.toEpochMilli())
            .setHealedAtUnixMs(healedAt.map(Instant::toEpochMilli).orElse(0L));
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
