package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.application.HistoryEntry;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DeploymentHistoryTest {

  static final OffsetDateTime T = OffsetDateTime.parse("2026-01-01T10:00:00Z");

  record Case(String name, List<JsonObject> operations, String took) {
    @Override
    public String toString() {
      return name;
    }
  }

  static JsonObject op(String revision, String started, String finished) {
    return new JsonObject()
        .put("revision", revision)
        .put("startedAt", started)
        .put("finishedAt", finished);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("no operation logged", List.of(), ""),
        new Case(
            "finished operation of the same revision",
            List.of(op("b", "2026-01-01T09:59:18Z", "2026-01-01T10:00:00Z")),
            "42s"),
        new Case(
            "still running: until the deployment was recorded",
            List.of(op("b", "2026-01-01T09:57:00Z", null)),
            "3m 0s"),
        new Case(
            "another revision's operation is not this deployment's",
            List.of(op("a", "2026-01-01T09:59:00Z", "2026-01-01T10:00:00Z")),
            ""),
        new Case(
            "an operation started after the deployment is a later one",
            List.of(op("b", "2026-01-01T10:05:00Z", "2026-01-01T10:06:00Z")),
            ""),
        new Case(
            "the latest start before the deployment wins",
            List.of(
                op("b", "2026-01-01T09:00:00Z", "2026-01-01T09:01:00Z"),
                op("b", "2026-01-01T09:59:59.200Z", "2026-01-01T10:00:00Z")),
            "800ms"),
        new Case(
            "an unreadable time is skipped",
            List.of(op("b", "yesterday", "2026-01-01T10:00:00Z")),
            ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void howLongADeploymentTook(Case c) {
    HistoryEntry a = entry(1, "a", HistoryEntry.AUTOMATED, T.minusHours(1));
    HistoryEntry b = entry(2, "b", HistoryEntry.SYNC, T);
    List<HistoryRow> rows = DeploymentHistory.rows(List.of(a, b), c.operations());
    assertThat(rows).extracting(r -> r.entry().id()).as("newest first").containsExactly(2L, 1L);
    assertThat(rows.get(0).took()).isEqualTo(c.took());
    assertThat(rows.get(0).current()).isTrue();
    assertThat(rows.get(1).current()).isFalse();
    assertThat(rows.get(1).who()).isEqualTo("automated");
    assertThat(rows.get(0).who()).isEqualTo("alice");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("durations")
  void durationsReadLikeArgoCds(Duration d, String text) {
    assertThat(DeploymentHistory.duration(d)).isEqualTo(text);
  }

  static Stream<Arguments> durations() {
    return Stream.of(
        Arguments.of(Duration.ofMillis(5), "5ms"),
        Arguments.of(Duration.ofSeconds(59), "59s"),
        Arguments.of(Duration.ofSeconds(61), "1m 1s"),
        Arguments.of(Duration.ofMinutes(130), "2h 10m"),
        Arguments.of(Duration.ofSeconds(-1), ""));
  }

  static HistoryEntry entry(long id, String revision, String operation, OffsetDateTime at) {
    return new HistoryEntry(id, "web", revision, 1, at, operation, "alice", "r", "p", null);
  }
}
