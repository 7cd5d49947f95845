package dev.flotilla.controlplane.application;

import static java.util.Objects.requireNonNullElse;

import dev.flotilla.controlplane.query.LabelSelectors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** Reads an Application row joined with its status ({@link ApplicationListQuery#COLUMNS}). */
final class ApplicationRows {

  private ApplicationRows() {}

  /** An Application row joined with its status, as REST and the CLI show it. */
  static ApplicationView view(Row r) {
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
        requireNonNullElse(r.getString("sync_status"), "Unknown"),
        requireNonNullElse(r.getString("health"), "Unknown"),
        requireNonNullElse(r.getString("health_message"), ""),
        requireNonNullElse(r.getString("revision"), ""),
        requireNonNullElse(r.getString("message"), ""),
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
        LabelSelectors.labelsOf(r.getJsonObject("document")),
        requireNonNullElse(r.getString("deployed_revision"), ""),
        r.getValue("operation_state") instanceof JsonObject op ? op : null);
  }
}
