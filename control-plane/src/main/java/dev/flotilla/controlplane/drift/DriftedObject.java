package dev.flotilla.controlplane.drift;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One object that differed from Git, as the report shows it: its occurrences folded in, the newest
 * one's state on top.
 *
 * @param fieldsJson [{path, desired, live}] of the newest event as JSON text (values are JSON text
 *     too), Secrets masked; kept as text so a report is served without parsing every row
 * @param change "edited", "deleted", "missing" or why else it is out of sync (newest occurrence)
 * @param firstSeen when its first occurrence was first observed
 * @param lastSeen when its newest occurrence was first observed
 * @param occurrences transitions from equal to different on the fields Flotilla manages: 1 means it
 *     differed once, more means it recurred after being put right
 * @param heals how many occurrences ended (by anything: see {@code healedBy})
 * @param healedAt when the newest occurrence was seen equal to Git again; null while it differs
 * @param lastHealedAt the latest end of any of its occurrences, or null if none ended
 * @param healedBy what ended the newest occurrence ({@value #SELF_HEAL}, {@value #SYNC}, {@value
 *     #RESYNC}, {@value #MANUAL_REVERT}, {@value #NEW_COMMIT}); null while it differs
 * @param driftKind {@value #DRIFT} (live changed away from what was applied) or {@value
 *     #PENDING_SYNC} (Git moved on, not synced yet), of the newest occurrence
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
    Instant lastHealedAt,
    String healedBy,
    String driftKind) {

  public static final String DRIFT = "drift";
  public static final String PENDING_SYNC = "pending-sync";
  public static final String SELF_HEAL = "self-heal";
  public static final String SYNC = "sync";
  public static final String RESYNC = "resync";
  public static final String MANUAL_REVERT = "manual-revert";
  public static final String NEW_COMMIT = "new-commit";

  public DriftedObject {
    driftKind = driftKind == null ? DRIFT : driftKind;
  }

  /** How many times it differed again after being put right. */
  public long recurrences() {
    return Math.max(0, occurrences - 1);
  }

  /** The differing fields, parsed. */
  public JsonArray fields() {
    return new JsonArray(fieldsJson);
  }

  public boolean healed() {
    return healedAt != null;
  }

  /** Reads back what {@link #toJson} wrote (another replica passing drift on to its watchers). */
  public static DriftedObject fromJson(JsonObject json) {
    return new DriftedObject(
        json.getString("cluster"),
        json.getString("project"),
        json.getString("application"),
        json.getString("group"),
        json.getString("kind"),
        json.getString("namespace"),
        json.getString("name"),
        json.getString("change"),
        json.getJsonArray("fields", new JsonArray()).encode(),
        instant(json.getString("firstSeenAt")),
        instant(json.getString("lastSeenAt")),
        json.getLong("occurrences", 0L),
        json.getLong("heals", 0L),
        instant(json.getString("healedAt")),
        instant(json.getString("lastHealedAt")),
        json.getString("healedBy"),
        json.getString("driftKind"));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
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
        .put("lastHealedAt", lastHealedAt == null ? null : lastHealedAt.toString())
        .put("healedBy", healedBy)
        .put("driftKind", driftKind)
        .put("recurrences", recurrences());
  }
}
