package dev.flotilla.core.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.glob.Glob;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An AppProject's {@code spec.syncWindows}, with Argo CD's meaning:
 *
 * <ul>
 *   <li>a window applies to an Application whose name, destination namespace or cluster matches one
 *       of its {@code applications}, {@code namespaces} or {@code clusters} globs;
 *   <li>it is active from each time its cron {@code schedule} fires (in its {@code timeZone}, UTC
 *       by default) for {@code duration};
 *   <li>no matching window: every sync is allowed; an active matching {@code deny} window blocks
 *       syncs, and wins over an active allow; if any {@code allow} windows match, syncs are allowed
 *       only while one of them is active;
 *   <li>{@code manualSync: true} lets manual syncs through: an active deny blocks them only if one
 *       of the active denies lacks it, and outside every allow window they pass if some matching
 *       allow window has it.
 * </ul>
 */
public final class SyncWindows {

  /** How far ahead {@link State#nextChange()} looks for a window to close or open. */
  static final Duration HORIZON = Duration.ofDays(7);

  private static final int MAX_CHAINED_TRIGGERS = 20_000;
  private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([dhms])");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  public static final SyncWindows NONE = new SyncWindows(List.of());

  /** One {@code spec.syncWindows} entry. */
  public record Window(
      boolean deny,
      String schedule,
      String duration,
      List<String> applications,
      List<String> namespaces,
      List<String> clusters,
      boolean manualSync,
      ZoneId timeZone,
      CronSchedule cron,
      Duration length) {

    /** {@code deny '0 22 * * *' (1h)}, plus the time zone when it is not UTC. */
    public String describe() {
      return (deny ? "deny" : "allow")
          + " '"
          + schedule
          + "' ("
          + duration
          + (timeZone.getId().equals("UTC") ? "" : ", " + timeZone.getId())
          + ")";
    }

    boolean appliesTo(String application, Collection<String> clusterIds, String namespace) {
      return applications.stream()
              .anyMatch(p -> Glob.matches(p, application, Glob.Mode.PROJECT, false))
          || namespaces.stream().anyMatch(p -> Glob.matches(p, namespace, Glob.Mode.PROJECT, false))
          || clusters.stream()
              .anyMatch(
                  p ->
                      clusterIds.stream()
                          .anyMatch(
                              c -> !c.isEmpty() && Glob.matches(p, c, Glob.Mode.PROJECT, false)));
    }

    /** The first trigger after {@code now - length}, if it is not after {@code now}. */
    Optional<ZonedDateTime> activeSince(Instant now) {
      ZonedDateTime from = now.minus(length).atZone(timeZone);
      return cron.next(from, timeZone).filter(t -> !t.toInstant().isAfter(now));
    }

    /** Whether the window is open at {@code now} (the Projects page says "active now"). */
    public boolean isActive(Instant now) {
      return activeSince(now).isPresent();
    }

    /**
     * When an active window closes: the end of the run of overlapping activations that covers
     * {@code now}; empty when that is beyond the horizon.
     */
    Optional<Instant> closesAt(Instant now) {
      Optional<ZonedDateTime> trigger = activeSince(now);
      if (trigger.isEmpty()) {
        return Optional.empty();
      }
      Instant limit = now.plus(HORIZON);
      ZonedDateTime last = trigger.get();
      Instant end = last.toInstant().plus(length);
      for (int i = 0; i < MAX_CHAINED_TRIGGERS && !end.isAfter(limit); i++) {
        Optional<ZonedDateTime> following = cron.next(last, timeZone);
        if (following.isEmpty() || following.get().toInstant().isAfter(end)) {
          return Optional.of(end);
        }
        last = following.get();
        end = last.toInstant().plus(length);
      }
      return Optional.empty();
    }

    /** When an inactive window next opens; empty when not within the horizon. */
    Optional<Instant> opensAt(Instant now) {
      return cron.next(now.atZone(timeZone), timeZone)
          .map(ZonedDateTime::toInstant)
          .filter(t -> !t.isAfter(now.plus(HORIZON)));
    }
  }

  private final List<Window> windows;

  private SyncWindows(List<Window> windows) {
    this.windows = List.copyOf(windows);
  }

  public List<Window> windows() {
    return windows;
  }

  public boolean isEmpty() {
    return windows.isEmpty();
  }

  /**
   * Reads {@code spec.syncWindows} (missing or null: none).
   *
   * @throws IllegalArgumentException naming the field, e.g. {@code spec.syncWindows[1].schedule:
   *     ...}
   */
  public static SyncWindows parse(JsonNode syncWindows) {
    if (syncWindows == null || syncWindows.isMissingNode() || syncWindows.isNull()) {
      return NONE;
    }
    if (!syncWindows.isArray()) {
      throw new IllegalArgumentException("spec.syncWindows: must be a list");
    }
    List<Window> windows = new ArrayList<>();
    for (int i = 0; i < syncWindows.size(); i++) {
      windows.add(window(syncWindows.get(i), "spec.syncWindows[" + i + "]"));
    }
    return new SyncWindows(windows);
  }

  private static Window window(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(at + ": must be a mapping");
    }
    String kind = text(node, "kind", at, "");
    if (!kind.equals("allow") && !kind.equals("deny")) {
      throw new IllegalArgumentException(at + ".kind: must be allow or deny, got '" + kind + "'");
    }
    String schedule = text(node, "schedule", at, "");
    CronSchedule cron;
    try {
      cron = CronSchedule.parse(schedule);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ".schedule: " + e.getMessage(), e);
    }
    String duration = text(node, "duration", at, "");
    Duration length = duration(duration, at + ".duration");
    String zone = text(node, "timeZone", at, "UTC");
    ZoneId timeZone;
    try {
      timeZone = ZoneId.of(zone.isEmpty() ? "UTC" : zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          at + ".timeZone: unknown time zone '" + zone + "' (expected an IANA name)", e);
    }
    JsonNode manual = node.path("manualSync");
    if (!manual.isMissingNode() && !manual.isNull() && !manual.isBoolean()) {
      throw new IllegalArgumentException(at + ".manualSync: must be true or false");
    }
    return new Window(
        kind.equals("deny"),
        schedule.strip(),
        duration,
        globs(node, "applications", at),
        globs(node, "namespaces", at),
        globs(node, "clusters", at),
        manual.asBoolean(false),
        timeZone,
        cron,
        length);
  }

  private static String text(JsonNode node, String field, String at, String fallback) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(at + "." + field + ": must be a string");
    }
    return value.asText();
  }

  private static List<String> globs(JsonNode node, String field, String at) {
    JsonNode list = node.path(field);
    if (list.isMissingNode() || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw new IllegalArgumentException(at + "." + field + ": must be a list of globs");
    }
    List<String> globs = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isTextual()) {
        throw new IllegalArgumentException(at + "." + field + "[" + i + "]: must be a string");
      }
      globs.add(list.get(i).asText());
    }
    return globs;
  }

  /** {@code 1h}, {@code 30m}, {@code 1d}, {@code 1h30m}; more than zero. */
  static Duration duration(String text, String at) {
    Matcher m = DURATION.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.lookingAt()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
              });
      end = m.end();
      m.region(end, text.length());
    }
    if (text.isEmpty() || end != text.length() || total.isZero()) {
      throw new IllegalArgumentException(
          at + ": must be a positive duration such as 30m, 1h, 1h30m or 1d, got '" + text + "'");
    }
    return total;
  }

  /** The windows' verdict for one Application at {@code now}. */
  public State state(String application, String cluster, String namespace, Instant now) {
    return state(application, List.of(cluster == null ? "" : cluster), namespace, now);
  }

  /**
   * @param clusterIds what the Application's cluster is known by (registered name, server URL); a
   *     {@code clusters} glob matching any of them applies the window
   */
  public State state(
      String application, Collection<String> clusterIds, String namespace, Instant now) {
    List<Window> matching =
        windows.stream()
            .filter(w -> w.appliesTo(application, clusterIds, namespace == null ? "" : namespace))
            .toList();
    return new State(matching, now);
  }

  /**
   * The window that decides for one Application at one moment ({@link State#verdict}).
   *
   * @param active whether {@code window} is open now
   * @param since when it opened, while open
   * @param until when it closes, while open; empty beyond the horizon
   * @param opens when it next opens, while closed; empty beyond the horizon
   */
  public record Verdict(
      Window window,
      boolean active,
      boolean autoSyncAllowed,
      boolean manualSyncAllowed,
      Optional<Instant> since,
      Optional<Instant> until,
      Optional<Instant> opens) {}

  /** What the matching windows say at one moment. */
  public static final class State {
    private final List<Window> matching;
    private final Instant now;
    private final List<Window> activeDenies;
    private final List<Window> activeAllows;
    private final List<Window> allows;

    State(List<Window> matching, Instant now) {
      this.matching = matching;
      this.now = now;
      this.activeDenies = matching.stream().filter(w -> w.deny() && w.isActive(now)).toList();
      this.allows = matching.stream().filter(w -> !w.deny()).toList();
      this.activeAllows = allows.stream().filter(w -> w.isActive(now)).toList();
    }

    /** Whether automated sync (new revisions and self-heal) may apply now. */
    public boolean autoSyncAllowed() {
      return activeDenies.isEmpty() && (allows.isEmpty() || !activeAllows.isEmpty());
    }

    /** Whether a manual sync may apply now. */
    public boolean manualSyncAllowed() {
      if (!activeDenies.isEmpty()) {
        return activeDenies.stream().allMatch(Window::manualSync);
      }
      return allows.isEmpty()
          || !activeAllows.isEmpty()
          || allows.stream().anyMatch(Window::manualSync);
    }

    /**
     * The window that decides: for a block, an active deny (one refusing manual sync first) or,
     * outside every allow window, the allow window that opens soonest; otherwise an active allow.
     */
    public Optional<Window> decidedBy() {
      if (!activeDenies.isEmpty()) {
        return activeDenies.stream()
            .filter(w -> !w.manualSync())
            .findFirst()
            .or(() -> Optional.of(activeDenies.get(0)));
      }
      if (!activeAllows.isEmpty()) {
        return Optional.of(activeAllows.get(0));
      }
      return allows.stream()
          .min(java.util.Comparator.comparing(w -> w.opensAt(now).orElse(Instant.MAX)));
    }

    /**
     * What the windows say now, for people: the window that decides with, while it is open, since
     * and until when, or else when it next opens; empty when no window applies or only denies that
     * are closed.
     */
    public Optional<Verdict> verdict() {
      return decidedBy()
          .map(
              w -> {
                boolean active = w.isActive(now);
                return new Verdict(
                    w,
                    active,
                    autoSyncAllowed(),
                    manualSyncAllowed(),
                    w.activeSince(now).map(ZonedDateTime::toInstant),
                    active ? w.closesAt(now) : Optional.empty(),
                    active ? Optional.empty() : w.opensAt(now));
              });
    }

    /**
     * When any matching window next opens or closes, which is when the verdict may change; empty
     * when none does within the next {@link SyncWindows#HORIZON}.
     */
    public Optional<Instant> nextChange() {
      return matching.stream()
          .map(w -> w.isActive(now) ? w.closesAt(now) : w.opensAt(now))
          .flatMap(Optional::stream)
          .min(Instant::compareTo);
    }

    /**
     * A short reason automated sync is blocked, stable for as long as the same window decides (it
     * travels in assignments, which are re-sent when it changes); empty when allowed.
     */
    public Optional<String> autoSyncBlockedReason() {
      if (autoSyncAllowed()) {
        return Optional.empty();
      }
      Window w = decidedBy().orElseThrow();
      return Optional.of(
          w.deny()
              ? "sync window " + w.describe() + " is active"
              : "outside every allow sync window (next: " + w.describe() + ")");
    }

    /** Why a manual sync is refused, naming the window and when it changes; empty when allowed. */
    public Optional<String> manualSyncRefusal() {
      if (manualSyncAllowed()) {
        return Optional.empty();
      }
      Window w = decidedBy().orElseThrow();
      if (w.deny()) {
        return Optional.of(
            "sync window "
                + w.describe()
                + " is active "
                + w.closesAt(now)
                    .map(t -> "until " + format(t, w.timeZone()))
                    .orElse("with no end in the next " + HORIZON.toDays() + " days")
                + "; manual sync is not allowed");
      }
      return Optional.of(
          "no allow sync window is active (allow "
              + w.describe().substring("allow ".length())
              + " opens "
              + w.opensAt(now)
                  .map(t -> "at " + format(t, w.timeZone()))
                  .orElse("not within the next " + HORIZON.toDays() + " days")
              + "); manual sync is not allowed");
    }

    private String format(Instant t, ZoneId zone) {
      ZonedDateTime at = t.atZone(zone);
      boolean sameDay = at.toLocalDate().equals(now.atZone(zone).toLocalDate());
      return (sameDay ? TIME : DATE_TIME).format(at) + " " + zone.getId();
    }
  }
}
