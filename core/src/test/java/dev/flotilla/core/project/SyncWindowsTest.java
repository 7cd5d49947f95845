package dev.flotilla.core.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SyncWindowsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static SyncWindows windows(String yaml) {
    try {
      return SyncWindows.parse(YAML.readTree(yaml));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static Instant utc(String localDateTime) {
    return Instant.parse(localDateTime + ":00Z");
  }

  // --- cron ---

  record CronCase(String name, String cron, String zone, String after, String next) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<CronCase> cronCases() {
    return Stream.of(
        new CronCase("every minute", "* * * * *", "UTC", "2026-11-22T10:15", "2026-11-22T10:16"),
        new CronCase("daily at 22:00", "0 22 * * *", "UTC", "2026-11-22T22:00", "2026-11-23T22:00"),
        new CronCase(
            "list of minutes", "5,35 * * * *", "UTC", "2026-11-22T10:06", "2026-11-22T10:35"),
        new CronCase(
            "range of hours", "0 9-17 * * *", "UTC", "2026-11-22T17:30", "2026-11-23T09:00"),
        new CronCase(
            "step over all", "*/15 * * * *", "UTC", "2026-11-22T10:16", "2026-11-22T10:30"),
        new CronCase(
            "step in range", "0 8-20/6 * * *", "UTC", "2026-11-22T14:01", "2026-11-22T20:00"),
        new CronCase("start/step", "10/20 * * * *", "UTC", "2026-11-22T10:31", "2026-11-22T10:50"),
        // 2026-11-22 is a Sunday.
        new CronCase("weekdays", "0 9 * * 1-5", "UTC", "2026-11-21T10:00", "2026-11-23T09:00"),
        new CronCase("day names", "0 9 * * SAT,SUN", "UTC", "2026-11-23T10:00", "2026-11-28T09:00"),
        new CronCase("sunday as 7", "0 9 * * 7", "UTC", "2026-11-22T10:00", "2026-11-29T09:00"),
        new CronCase("month names", "0 0 1 JAN *", "UTC", "2026-11-22T10:00", "2027-01-01T00:00"),
        new CronCase(
            "dom or dow when both restricted",
            "0 0 13 * 5",
            "UTC",
            "2026-11-22T00:00",
            "2026-11-27T00:00"),
        new CronCase("leap day", "0 0 29 2 *", "UTC", "2026-11-22T00:00", "2028-02-29T00:00"),
        new CronCase(
            "in a time zone",
            "0 22 * * *",
            "Europe/Berlin",
            "2026-11-22T12:00",
            "2026-11-22T21:00"),
        // Berlin springs forward on 2027-03-28: 03:30 that day is 01:30 UTC, the day before 02:30.
        new CronCase(
            "daylight saving gap",
            "30 3 * * *",
            "Europe/Berlin",
            "2027-03-27T03:00",
            "2027-03-28T01:30"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cronCases")
  void cronFiresNext(CronCase c) {
    ZoneId zone = ZoneId.of(c.zone());
    ZonedDateTime after = utc(c.after()).atZone(zone);
    assertThat(CronSchedule.parse(c.cron()).next(after, zone))
        .map(ZonedDateTime::toInstant)
        .contains(utc(c.next()));
  }

  @Test
  void aScheduleThatNeverFiresHasNoNext() {
    assertThat(
            CronSchedule.parse("0 0 31 2 *")
                .next(ZonedDateTime.parse("2026-11-22T00:00Z"), ZoneId.of("UTC")))
        .isEmpty();
  }

  static Stream<String> badCrons() {
    return Stream.of(
        "",
        "* * * *",
        "* * * * * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * * 13 *",
        "* * * * 8",
        "5-1 * * * *",
        "*/0 * * * *",
        "a * * * *",
        "1,,2 * * * *",
        "@daily");
  }

  @ParameterizedTest(name = "''{0}''")
  @MethodSource("badCrons")
  void badCronIsRefused(String cron) {
    assertThatThrownBy(() -> CronSchedule.parse(cron)).isInstanceOf(IllegalArgumentException.class);
  }

  // --- validation ---

  record BadCase(String name, String yaml, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<BadCase> badWindows() {
    String ok = "- {kind: allow, schedule: '0 22 * * *', duration: 1h, applications: ['*']}\n";
    return Stream.of(
        new BadCase("not a list", "{kind: allow}", "spec.syncWindows: must be a list"),
        new BadCase(
            "bad kind",
            ok + "- {kind: block, schedule: '* * * * *', duration: 1h}",
            "spec.syncWindows[1].kind: must be allow or deny, got 'block'"),
        new BadCase(
            "bad cron",
            ok + "- {kind: deny, schedule: '61 * * * *', duration: 1h}",
            "spec.syncWindows[1].schedule: minute: '61'"),
        new BadCase(
            "missing schedule",
            "- {kind: deny, duration: 1h}",
            "spec.syncWindows[0].schedule: expected 5 fields"),
        new BadCase(
            "bad duration",
            "- {kind: deny, schedule: '* * * * *', duration: 1 hour}",
            "spec.syncWindows[0].duration: must be a positive duration"),
        new BadCase(
            "zero duration",
            "- {kind: deny, schedule: '* * * * *', duration: 0m}",
            "spec.syncWindows[0].duration"),
        new BadCase(
            "unknown zone",
            "- {kind: deny, schedule: '* * * * *', duration: 1h, timeZone: Mars/Olympus}",
            "spec.syncWindows[0].timeZone: unknown time zone 'Mars/Olympus'"),
        new BadCase(
            "manualSync not boolean",
            "- {kind: deny, schedule: '* * * * *', duration: 1h, manualSync: 'yes please'}",
            "spec.syncWindows[0].manualSync: must be true or false"),
        new BadCase(
            "glob list not a list",
            "- {kind: deny, schedule: '* * * * *', duration: 1h, applications: web}",
            "spec.syncWindows[0].applications: must be a list"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badWindows")
  void invalidWindowsNameTheField(BadCase c) {
    assertThatThrownBy(() -> windows(c.yaml()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(c.message());
  }

  @Test
  void durationsCombineUnits() {
    assertThat(SyncWindows.duration("1h30m", "d")).isEqualTo(Duration.ofMinutes(90));
    assertThat(SyncWindows.duration("1d", "d")).isEqualTo(Duration.ofHours(24));
    assertThat(SyncWindows.duration("45s", "d")).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void absentOrNullMeansNoWindows() {
    assertThat(SyncWindows.parse(null).isEmpty()).isTrue();
    assertThat(SyncWindows.parse(com.fasterxml.jackson.databind.node.NullNode.instance).isEmpty())
        .isTrue();
    JsonNode missing = YAML.createObjectNode().path("syncWindows");
    assertThat(SyncWindows.parse(missing).state("a", "c", "n", Instant.now()).autoSyncAllowed())
        .isTrue();
  }

  // --- verdicts ---

  record StateCase(
      String name,
      String yaml,
      String app,
      String cluster,
      String namespace,
      String now,
      boolean auto,
      boolean manual) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String DENY_22 =
      "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*']}\n";
  static final String ALLOW_22 =
      "- {kind: allow, schedule: '0 22 * * *', duration: 1h, applications: ['*']}\n";

  static Stream<StateCase> states() {
    return Stream.of(
        new StateCase("no windows", "[]", "web", "prod", "web", "2026-11-22T22:30", true, true),
        new StateCase(
            "deny active", DENY_22, "web", "prod", "web", "2026-11-22T22:30", false, false),
        new StateCase(
            "deny start is inclusive",
            DENY_22,
            "web",
            "prod",
            "web",
            "2026-11-22T22:00",
            false,
            false),
        new StateCase(
            "deny end is exclusive", DENY_22, "web", "prod", "web", "2026-11-22T23:00", true, true),
        new StateCase(
            "deny inactive", DENY_22, "web", "prod", "web", "2026-11-22T21:59", true, true),
        new StateCase(
            "deny with manualSync",
            "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*'], manualSync: true}",
            "web",
            "prod",
            "web",
            "2026-11-22T22:30",
            false,
            true),
        new StateCase(
            "deny not matching the app",
            "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['db-*']}",
            "web",
            "prod",
            "web",
            "2026-11-22T22:30",
            true,
            true),
        new StateCase(
            "deny matching by namespace glob",
            "- {kind: deny, schedule: '0 22 * * *', duration: 1h, namespaces: ['*-prod']}",
            "web",
            "c",
            "shop-prod",
            "2026-11-22T22:30",
            false,
            false),
        new StateCase(
            "deny matching by cluster",
            "- {kind: deny, schedule: '0 22 * * *', duration: 1h, clusters: ['prod', 'eu-*']}",
            "web",
            "eu-west",
            "web",
            "2026-11-22T22:30",
            false,
            false),
        new StateCase(
            "window without selectors matches nothing",
            "- {kind: deny, schedule: '0 22 * * *', duration: 1h}",
            "web",
            "prod",
            "web",
            "2026-11-22T22:30",
            true,
            true),
        new StateCase(
            "allow active", ALLOW_22, "web", "prod", "web", "2026-11-22T22:30", true, true),
        new StateCase(
            "outside allow", ALLOW_22, "web", "prod", "web", "2026-11-22T12:00", false, false),
        new StateCase(
            "outside allow with manualSync",
            "- {kind: allow, schedule: '0 22 * * *', duration: 1h, applications: ['*'], manualSync: true}",
            "web",
            "prod",
            "web",
            "2026-11-22T12:00",
            false,
            true),
        new StateCase(
            "allow for other apps does not restrict this one",
            "- {kind: allow, schedule: '0 22 * * *', duration: 1h, applications: ['db']}",
            "web",
            "prod",
            "web",
            "2026-11-22T12:00",
            true,
            true),
        new StateCase(
            "deny beats active allow",
            ALLOW_22 + DENY_22,
            "web",
            "prod",
            "web",
            "2026-11-22T22:30",
            false,
            false),
        new StateCase(
            "one of two allows active",
            ALLOW_22 + "- {kind: allow, schedule: '0 8 * * *', duration: 2h, applications: ['*']}",
            "web",
            "prod",
            "web",
            "2026-11-22T09:00",
            true,
            true),
        new StateCase(
            "manual blocked when any active deny refuses it",
            DENY_22
                + "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*'], manualSync: true}",
            "web",
            "prod",
            "web",
            "2026-11-22T22:30",
            false,
            false),
        new StateCase(
            "crossing midnight, before",
            "- {kind: deny, schedule: '0 23 * * *', duration: 3h, applications: ['*']}",
            "web",
            "prod",
            "web",
            "2026-11-22T23:30",
            false,
            false),
        new StateCase(
            "crossing midnight, after",
            "- {kind: deny, schedule: '0 23 * * *', duration: 3h, applications: ['*']}",
            "web",
            "prod",
            "web",
            "2026-11-23T01:59",
            false,
            false),
        new StateCase(
            "crossing midnight, ended",
            "- {kind: deny, schedule: '0 23 * * *', duration: 3h, applications: ['*']}",
            "web",
            "prod",
            "web",
            "2026-11-23T02:00",
            true,
            true),
        new StateCase(
            "weekend freeze on Sunday",
            "- {kind: deny, schedule: '0 0 * * SAT', duration: 2d, applications: ['*']}",
            "web",
            "prod",
            "web",
            "2026-11-22T23:59",
            false,
            false),
        new StateCase(
            "weekend freeze over on Monday",
            "- {kind: deny, schedule: '0 0 * * SAT', duration: 2d, applications: ['*']}",
            "web",
            "prod",
            "web",
            "2026-11-23T00:00",
            true,
            true),
        new StateCase(
            "time zone: 22:00 Berlin is 21:00 UTC in winter",
            "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*'], timeZone: Europe/Berlin}",
            "web",
            "prod",
            "web",
            "2026-11-22T21:30",
            false,
            false),
        new StateCase(
            "time zone: 22:30 UTC is after the Berlin window",
            "- {kind: deny, schedule: '0 22 * * *', duration: 1h, applications: ['*'], timeZone: Europe/Berlin}",
            "web",
            "prod",
            "web",
            "2026-11-22T22:30",
            true,
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("states")
  void verdicts(StateCase c) {
    SyncWindows.State state =
        windows(c.yaml()).state(c.app(), c.cluster(), c.namespace(), utc(c.now()));
    assertThat(state.autoSyncAllowed()).as("automated").isEqualTo(c.auto());
    assertThat(state.manualSyncAllowed()).as("manual").isEqualTo(c.manual());
    assertThat(state.autoSyncBlockedReason().isPresent()).isEqualTo(!c.auto());
    assertThat(state.manualSyncRefusal().isPresent()).isEqualTo(!c.manual());
  }

  @Test
  void clusterMatchesByNameOrServer() {
    SyncWindows w =
        windows(
            "- {kind: deny, schedule: '0 22 * * *', duration: 1h, clusters: ['https://prod.*']}");
    Instant now = utc("2026-11-22T22:30");
    assertThat(w.state("web", List.of("prod", "https://prod.example"), "ns", now).autoSyncAllowed())
        .isFalse();
    assertThat(w.state("web", List.of("prod", ""), "ns", now).autoSyncAllowed()).isTrue();
  }

  @Test
  void refusalNamesTheWindowAndWhenItEnds() {
    SyncWindows.State state = windows(DENY_22).state("web", "prod", "web", utc("2026-11-22T22:10"));
    assertThat(state.manualSyncRefusal())
        .contains(
            "sync window deny '0 22 * * *' (1h) is active until 23:00 UTC; manual sync is not"
                + " allowed");
    assertThat(state.autoSyncBlockedReason())
        .contains("sync window deny '0 22 * * *' (1h) is active");
    assertThat(state.nextChange()).contains(utc("2026-11-22T23:00"));
    assertThat(state.decidedBy()).get().extracting(SyncWindows.Window::deny).isEqualTo(true);
  }

  @Test
  void outsideAllowSaysWhenItOpens() {
    SyncWindows.State state =
        windows(ALLOW_22).state("web", "prod", "web", utc("2026-11-22T12:00"));
    assertThat(state.manualSyncRefusal())
        .contains(
            "no allow sync window is active (allow '0 22 * * *' (1h) opens at 22:00 UTC); manual"
                + " sync is not allowed");
    assertThat(state.nextChange()).contains(utc("2026-11-22T22:00"));
  }

  @Test
  void overlappingActivationsCloseAtTheEndOfTheRun() {
    // Fires every 10 minutes from 22:00 to 22:50, each for 30 minutes: closed from 23:20.
    SyncWindows.State state =
        windows("- {kind: deny, schedule: '*/10 22 * * *', duration: 30m, applications: ['*']}")
            .state("web", "prod", "web", utc("2026-11-22T22:05"));
    assertThat(state.nextChange()).contains(utc("2026-11-22T23:20"));
  }

  @Test
  void aWindowThatNeverClosesHasNoEnd() {
    SyncWindows.State state =
        windows("- {kind: deny, schedule: '* * * * *', duration: 1h, applications: ['*']}")
            .state("web", "prod", "web", utc("2026-11-22T22:05"));
    assertThat(state.nextChange()).isEmpty();
    assertThat(state.manualSyncRefusal().orElseThrow()).contains("with no end in the next 7 days");
  }

  @Test
  void refusalInAnotherZoneShowsThatZoneAndTheDateWhenNotToday() {
    SyncWindows.State state =
        windows(
                "- {kind: deny, schedule: '0 23 * * *', duration: 3h, applications: ['*'],"
                    + " timeZone: America/New_York}")
            .state("web", "prod", "web", utc("2026-11-23T04:30"));
    // 23:30 in New York on the 22nd; the window closes at 02:00 on the 23rd there.
    assertThat(state.manualSyncRefusal().orElseThrow())
        .contains("deny '0 23 * * *' (3h, America/New_York) is active until 2026-11-23 02:00");
  }
}
