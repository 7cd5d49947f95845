package dev.flotilla.controlplane.drift;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One object that drifted from Git, as the report shows it.
 *
 * @param fieldsJson [{path, desired, live}] of the newest event as JSON text (values are JSON text
 *     too), Secrets masked; kept as text so a report is served without parsing every row
 * @param change "edited" or "deleted" (newest event)
 * @param occurrences events recorded for this object: 1 means it drifted once, more means it
 *     recurred
 * @param heals how many of those events self-heal reverted
 * @param healedAt when self-heal reverted the newest drift; null while it is still drifted
 * @param lastHealedAt the latest revert of any of its events, or null if none was reverted
 */
public record DriftedObject(
    String cluster,
    String project,
    String application,
    String group,
    String kind,
    String namespace,
    String name,
    String change,
    String fieldsJson,
    Instant firstSeen,
    Instant lastSeen,
    long occurrences,
    long heals,
    Instant healedAt,
    Instant lastHealedAt) {

  /** The differing fields, parsed. */
  public JsonArray fields() {
    return new JsonArray(fieldsJson);
  }

  public boolean healed() {
    return healedAt != null;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("cluster", cluster)
        .put("project", project)
        .put("application", application)
        .put("group", group)
        .put("kind", kind)
        .put("namespace", namespace)
        .put("name", name)
        .put("change", change)
        .put("fields", fields())
        .put("firstSeenAt", firstSeen.toString())
        .put("lastSeenAt", lastSeen.toString())
        .put("occurrences", occurrences)
        .put("heals", heals)
        .put("healed", healed())
        .put("healedAt", healedAt == null ? null : healedAt.toString())
        .put("lastHealedAt", lastHealedAt == null ? null : lastHealedAt.toString());
  }
}
