package dev.flotilla.controlplane.application;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/**
 * One deployment of an Application: the revision an agent reported it synced to, and how that was
 * started.
 *
 * @param id unique across the control plane; what {@code flotilla app rollback NAME ID} takes
 * @param operation {@link #AUTOMATED}, {@link #SYNC} or {@link #ROLLBACK}
 * @param initiatedBy the caller's name, or the control plane's for automated deployments
 * @param rollbackOf for a rollback, the id of the entry it went back to; otherwise null
 */
public record HistoryEntry(
    long id,
    String application,
    String revision,
    long generation,
    OffsetDateTime deployedAt,
    String operation,
    String initiatedBy,
    String repoUrl,
    String path,
    Long rollbackOf) {

  public static final String AUTOMATED = "automated";
  public static final String SYNC = "sync";
  public static final String ROLLBACK = "rollback";

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("revision", revision)
            .put("generation", generation)
            .put("deployedAt", deployedAt == null ? null : deployedAt.toString())
            .put("operation", operation)
            .put("initiatedBy", initiatedBy)
            .put("repoURL", repoUrl)
            .put("path", path);
    if (rollbackOf != null) {
      json.put("rollbackOf", rollbackOf);
    }
    return json;
  }
}
