package dev.flotilla.controlplane.application;

import dev.flotilla.core.project.SyncWindows;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * What an Application's sync windows mean for it now, in words: "Sync denied by window deny '0 22 *
 * * *' (1h) since 22:00 UTC until 23:00 UTC", "Syncs are allowed only in window allow ...". The
 * verdict comes from core's {@link SyncWindows} (the same evaluation that blocks syncs); only the
 * words are made here.
 *
 * @param kind "deny", "allow", or "invalid" when the project's windows cannot be read
 * @param active whether the deciding window is open now
 * @param blocked whether automated sync is blocked now
 */
public record SyncWindowNote(
    String kind,
    boolean active,
    boolean blocked,
    boolean manualSyncAllowed,
    String message,
    Instant since,
    Instant until,
    Instant opens) {

  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** The project's windows are broken: Argo CD refuses every sync then, and so do we. */
  public static SyncWindowNote invalid(String error) {
    return new SyncWindowNote(
        "invalid", false, true, false, "Sync refused: " + error, null, null, null);
  }

  public static SyncWindowNote of(SyncWindows.Verdict v) {
    SyncWindows.Window w = v.window();
    ZoneId zone = w.timeZone();
    String message;
    if (w.deny()) {
      message =
          "Sync denied by window "
              + w.describe()
              + ", active"
              + v.since().map(t -> " since " + at(t, zone)).orElse("")
              + v.until().map(t -> " until " + at(t, zone)).orElse(" with no end in sight")
              + (v.manualSyncAllowed()
                  ? "; manual sync is allowed"
                  : "; manual sync is not allowed either");
    } else if (v.active()) {
      message =
          "Sync allowed by window "
              + w.describe()
              + ", open"
              + v.since().map(t -> " since " + at(t, zone)).orElse("")
              + v.until().map(t -> " until " + at(t, zone)).orElse("");
    } else {
      message =
          "Syncs are allowed only in window "
              + w.describe()
              + v.opens().map(t -> ", next open at " + at(t, zone)).orElse(", not open this week")
              + (v.manualSyncAllowed() ? "; manual sync is allowed" : "");
    }
    return new SyncWindowNote(
        w.deny() ? "deny" : "allow",
        v.active(),
        !v.autoSyncAllowed(),
        v.manualSyncAllowed(),
        message,
        v.since().orElse(null),
        v.until().orElse(null),
        v.opens().orElse(null));
  }

  private static String at(Instant t, ZoneId zone) {
    return AT.format(t.atZone(zone)) + " " + zone.getId();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("kind", kind)
        .put("active", active)
        .put("autoSyncBlocked", blocked)
        .put("manualSyncAllowed", manualSyncAllowed)
        .put("message", message)
        .put("since", text(since))
        .put("until", text(until))
        .put("opens", text(opens));
  }

  private static String text(Instant t) {
    return Optional.ofNullable(t).map(Instant::toString).orElse(null);
  }
}
