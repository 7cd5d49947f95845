package dev.flotilla.controlplane.application;

import com.google.protobuf.Timestamp;
import dev.flotilla.proto.api.v1.Operation;
import dev.flotilla.proto.api.v1.OperationResource;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/** {@link SyncOperation} JSON as the platform API's {@link Operation}. */
final class OperationProtos {

  private OperationProtos() {}

  static Operation operation(JsonObject op) {
    Operation.Builder b =
        Operation.newBuilder()
            .setId(op.getString("id", ""))
            .setPhase(op.getString("phase", ""))
            .setMessage(op.getString("message", ""))
            .setRevision(op.getString("revision", ""))
            .setRetryCount(op.getInteger("retryCount", 0))
            .setInitiatedBy(op.getString("initiatedBy", ""));
    timestamp(op.getString("startedAt")).ifPresent(b::setStartedAt);
    timestamp(op.getString("finishedAt")).ifPresent(b::setFinishedAt);
    timestamp(op.getString("nextAttemptAt")).ifPresent(b::setNextAttemptAt);
    JsonArray resources = op.getJsonArray("resources", new JsonArray());
    for (int i = 0; i < resources.size(); i++) {
      JsonObject r = resources.getJsonObject(i);
      b.addResources(
          OperationResource.newBuilder()
              .setGroup(r.getString("group", ""))
              .setVersion(r.getString("version", ""))
              .setKind(r.getString("kind", ""))
              .setNamespace(r.getString("namespace", ""))
              .setName(r.getString("name", ""))
              .setStatus(r.getString("status", ""))
              .setMessage(r.getString("message", ""))
              .setHookPhase(r.getString("hookPhase", "")));
    }
    return b.build();
  }

  private static Optional<Timestamp> timestamp(String iso) {
    if (iso == null) {
      return Optional.empty();
    }
    Instant t = Instant.parse(iso);
    return Optional.of(
        Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build());
  }
}
