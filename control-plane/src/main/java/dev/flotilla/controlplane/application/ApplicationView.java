package dev.flotilla.controlplane.application;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Application with its latest reported status, as REST and the CLI show it.
 *
 * @param revision the commit the agent last compared with (or applied)
 * @param deployedRevision the commit the last successful sync deployed; "" when not known
 * @param operation the running sync operation or the last one that ended ({@link SyncOperation}
 *     JSON), or null before any
 * @param commit the commit {@code revision} names as its agent described it ({"sha", "author",
 *     "subject", "date"}), or null when not known (older agents, charts)
 * @param failingSince since when the status reports a failure, or null
 */
public record ApplicationView(
    String name,
    String applicationSet,
    String project,
    String cluster,
    String targetRevision,
    long generation,
    long ackedGeneration,
    String dispatchError,
    String syncStatus,
    String health,
    String healthMessage,
    String revision,
    String message,
    boolean syncFailed,
    JsonArray resources,
    OffsetDateTime lastSyncedAt,
    OffsetDateTime observedAt,
    long statusGeneration,
    boolean automated,
    JsonObject spec,
    Map<String, String> labels,
    String deployedRevision,
    JsonObject operation,
    JsonObject commit,
    OffsetDateTime failingSince) {

  /** Synced and reported for the current generation. */
  public boolean isSyncedAtCurrentGeneration() {
    return "Synced".equals(syncStatus) && statusGeneration >= generation && !syncFailed;
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("name", name)
            .put("applicationSet", applicationSet)
            .put("project", project)
            .put("cluster", cluster)
            .put("labels", new JsonObject(new TreeMap<String, Object>(labels)))
            .put("targetRevision", targetRevision)
            // As Argo CD's GET: the spec, so clients (app set) can change lists in it.
            .put("spec", spec)
            .put("generation", generation)
            .put("ackedGeneration", ackedGeneration)
            .put("statusGeneration", statusGeneration)
            .put("syncStatus", syncStatus)
            .put("health", health)
            .put("healthMessage", healthMessage)
            .put("revision", revision)
            .put("message", message)
            .put("syncFailed", syncFailed)
            .put("lastSyncedAt", lastSyncedAt == null ? null : lastSyncedAt.toString())
            .put("observedAt", observedAt == null ? null : observedAt.toString())
            .put("resources", resources)
            .put("deployedRevision", deployedRevision)
            .put("operationState", operation)
            // Argo CD's revision metadata of `revision`, beside it rather than under a status tree.
            .put("commit", commit);
    JsonArray conditions = new JsonArray();
    ApplicationCondition.of(this).forEach(c -> conditions.add(c.toJson()));
    json.put("conditions", conditions);
    if (dispatchError != null) {
      json.put("dispatchError", dispatchError);
    }
    if (spec != null && spec.getValue("info") instanceof JsonArray info) {
      json.put("info", info); // Argo CD's spec.info: name/value pairs shown with the Application
    }
    if (spec != null && !SourceRevisions.sources(spec).isEmpty()) {
      json.put("sources", SourceRevisions.describe(spec, revision));
    }
    return json;
  }
}
