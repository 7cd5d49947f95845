package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApplicationConditionTest {

  static final String SHA = "1111111111111111111111111111111111111111";
  static final Instant SINCE = Instant.parse("2026-01-01T10:00:00Z");
  static final Instant FINISHED = Instant.parse("2026-01-01T09:00:00Z");

  record Case(
      String name,
      String dispatchError,
      boolean failed,
      String message,
      JsonObject operation,
      OffsetDateTime failingSince,
      List<ApplicationCondition> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static JsonObject op(String phase, String revision) {
    return new JsonObject()
        .put("phase", phase)
        .put("revision", revision)
        .put("message", "one or more objects failed to apply")
        .put("finishedAt", FINISHED.toString());
  }

  static Stream<Case> cases() {
    OffsetDateTime since = SINCE.atOffset(ZoneOffset.UTC);
    return Stream.of(
        new Case("healthy: none", null, false, "applied 1 object", null, null, List.of()),
        new Case(
            "not dispatched",
            "project 'p' does not exist",
            false,
            "",
            null,
            null,
            List.of(
                new ApplicationCondition("InvalidSpecError", "project 'p' does not exist", null))),
        new Case(
            "render failed: comparison",
            null,
            true,
            "path 'apps/missing' does not exist",
            null,
            since,
            List.of(
                new ApplicationCondition(
                    "ComparisonError", "path 'apps/missing' does not exist", SINCE))),
        new Case(
            "operation failed at this revision: sync",
            null,
            true,
            "ConfigMap web: admission refused",
            op("Failed", SHA),
            null,
            List.of(
                new ApplicationCondition(
                    "SyncError", "ConfigMap web: admission refused", FINISHED))),
        new Case(
            "empty message falls back to the operation's",
            null,
            true,
            "",
            op("Error", SHA),
            since,
            List.of(
                new ApplicationCondition(
                    "SyncError", "one or more objects failed to apply", SINCE))),
        new Case(
            "an older operation's failure is not this one's",
            null,
            true,
            "cannot fetch",
            op("Failed", "2222222222222222222222222222222222222222"),
            since,
            List.of(new ApplicationCondition("ComparisonError", "cannot fetch", SINCE))),
        new Case(
            "a succeeded operation with a failing status is a comparison error",
            null,
            true,
            "",
            op("Succeeded", SHA),
            null,
            List.of(
                new ApplicationCondition("ComparisonError", "the last reconcile failed", null))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void conditionsFollowTheStoredStatus(Case c) {
    ApplicationView view =
        new ApplicationView(
            "web",
            null,
            "default",
            "east",
            "HEAD",
            1,
            1,
            c.dispatchError(),
            c.failed() ? "Unknown" : "Synced",
            "Healthy",
            "",
            SHA,
            c.message(),
            c.failed(),
            new JsonArray(),
            null,
            null,
            1,
            true,
            new JsonObject(),
            Map.of(),
            "",
            c.operation(),
            null,
            c.failingSince());
    assertThat(ApplicationCondition.of(view)).isEqualTo(c.expected());
  }
}
