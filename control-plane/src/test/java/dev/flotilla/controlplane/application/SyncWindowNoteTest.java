package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.project.SyncWindows;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The words for core's verdict; the verdict itself is core's (SyncWindowsTest). */
class SyncWindowNoteTest {

  static final Instant NOW = Instant.parse("2026-01-05T22:30:00Z"); // a Monday

  record Case(
      String name, String windows, String kind, boolean active, boolean blocked, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "deny active, manual sync refused",
            "[{\"kind\":\"deny\",\"schedule\":\"0 22 * * *\",\"duration\":\"1h\",\"applications\":[\"*\"]}]",
            "deny",
            true,
            true,
            "Sync denied by window deny '0 22 * * *' (1h), active since 2026-01-05 22:00 UTC until"
                + " 2026-01-05 23:00 UTC; manual sync is not allowed either"),
        new Case(
            "deny active, manual sync allowed, in its time zone",
            "[{\"kind\":\"deny\",\"schedule\":\"0 23 * * *\",\"duration\":\"2h\",\"applications\":[\"*\"],"
                + "\"manualSync\":true,\"timeZone\":\"Europe/Paris\"}]",
            "deny",
            true,
            true,
            "Sync denied by window deny '0 23 * * *' (2h, Europe/Paris), active since 2026-01-05"
                + " 23:00 Europe/Paris until 2026-01-06 01:00 Europe/Paris; manual sync is allowed"),
        new Case(
            "outside the only allow window",
            "[{\"kind\":\"allow\",\"schedule\":\"0 6 * * 1-5\",\"duration\":\"2h\",\"applications\":[\"*\"]}]",
            "allow",
            false,
            true,
            "Syncs are allowed only in window allow '0 6 * * 1-5' (2h), next open at 2026-01-06 06:00"
                + " UTC"),
        new Case(
            "inside an allow window",
            "[{\"kind\":\"allow\",\"schedule\":\"0 22 * * *\",\"duration\":\"1h\",\"applications\":[\"*\"]}]",
            "allow",
            true,
            false,
            "Sync allowed by window allow '0 22 * * *' (1h), open since 2026-01-05 22:00 UTC until"
                + " 2026-01-05 23:00 UTC"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void describesTheDecidingWindow(Case c) throws Exception {
    SyncWindows.Verdict verdict =
        SyncWindows.parse(new ObjectMapper().readTree(c.windows()))
            .state("web", "east", "web", NOW)
            .verdict()
            .orElseThrow();
    SyncWindowNote note = SyncWindowNote.of(verdict);
    assertThat(note.kind()).isEqualTo(c.kind());
    assertThat(note.active()).isEqualTo(c.active());
    assertThat(note.blocked()).isEqualTo(c.blocked());
    assertThat(note.message()).isEqualTo(c.message());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("noVerdict")
  void noWindowThatAppliesOrOnlyClosedDeniesSayNothing(String windows) throws Exception {
    assertThat(
            SyncWindows.parse(new ObjectMapper().readTree(windows))
                .state("web", "east", "web", NOW)
                .verdict())
        .isEmpty();
  }

  static Stream<String> noVerdict() {
    return Stream.of(
        "[]",
        "[{\"kind\":\"deny\",\"schedule\":\"0 22 * * *\",\"duration\":\"1h\",\"applications\":[\"other\"]}]",
        "[{\"kind\":\"deny\",\"schedule\":\"0 6 * * *\",\"duration\":\"1h\",\"applications\":[\"*\"]}]");
  }

  @org.junit.jupiter.api.Test
  void brokenWindowsRefuseEverySync() {
    SyncWindowNote note = SyncWindowNote.invalid("invalid sync windows: spec.syncWindows[0].kind");
    assertThat(note.blocked()).isTrue();
    assertThat(note.manualSyncAllowed()).isFalse();
    assertThat(note.message())
        .isEqualTo("Sync refused: invalid sync windows: spec.syncWindows[0].kind");
  }
}
