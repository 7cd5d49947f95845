package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.query.LabelSelectors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/** An Application with its latest reported status, as REST and the CLI show it. */
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
    Map<String, String> labels) {

  static ApplicationView from(Row r) {
    JsonObject source =
        r.getJsonObject("document").getJsonObject("spec", new JsonObject()).getJsonObject("source");
    String target = source == null ? "HEAD" : source.getString("targetRevision", "HEAD");
    Object resources = r.getValue("resources");
    return new ApplicationView(
        r.getString("name"),
        r.getString("application_set"),
        r.getString("project"),
        r.getString("cluster"),
        target.isEmpty() ? "HEAD" : target,
        r.getLong("generation"),
        r.getLong("acked_generation"),
        r.getString("dispatch_error"),
        orDefault(r.getString("sync_status"), "Unknown"),
        orDefault(r.getString("health"), "Unknown"),
        orDefault(r.getString("health_message"), ""),
        orDefault(r.getString("revision"), ""),
        orDefault(r.getString("message"), ""),
        Boolean.TRUE.equals(r.getBoolean("sync_failed")),
        resources instanceof JsonArray a ? a : new JsonArray(),
        r.getOffsetDateTime("last_synced_at"),
        r.getOffsetDateTime("observed_at"),
        r.getLong("status_generation") == null ? 0 : r.getLong("status_generation"),
        r.getJsonObject("document")
            .getJsonObject("spec", new JsonObject())
            .getJsonObject("syncPolicy", new JsonObject())
            .containsKey("automated"),
        r.getJsonObject("document").getJsonObject("spec", new JsonObject()),
        LabelSelectors.labelsOf(r.getJsonObject("document")));
  }

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
            .put("generation", generation)
            .put("ackedGeneration", ackedGeneration)
            .put("syncStatus", syncStatus)
            .put("health", health)
            .put("healthMessage", healthMessage)
            .put("revision", revision)
            .put("message", message)
            .put("syncFailed", syncFailed)
            .put("lastSyncedAt", lastSyncedAt == null ? null : lastSyncedAt.toString())
            .put("observedAt", observedAt == null ? null : observedAt.toString())
            .put("resources", resources);
    if (dispatchError != null) {
      json.put("dispatchError", dispatchError);
    }
    return json;
  }

  private static String orDefault(String s, String d) {
    return s == null ? d : s;
  }
}
