package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.appset.ApplicationSetRepository.StoredApplicationSet;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApplicationSetSummaryTest {

  private static final JsonObject DOCUMENT =
      new JsonObject(
          """
          {"metadata": {"name": "s"},
           "spec": {"generators": [{"clusters": {}}], "template": {"spec": {"project": "shop"}}}}
          """);

  record Case(String name, String status, String state, List<String> errors, String since) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("never generated", null, "Not generated yet", List.of(), null),
        new Case(
            "generated without errors",
            """
            {"lastGeneratedAt": "2026-12-05T10:00:00Z", "applications": 4, "errors": [],
             "conditions": [{"type": "ErrorOccurred", "status": "False", "reason": "ApplicationSetUpToDate",
                             "message": "generated without errors", "lastTransitionTime": "2026-12-05T09:00:00Z"}]}
            """,
            "Up to date",
            List.of(),
            "2026-12-05T09:00:00Z"),
        new Case(
            "an error keeps the time it was first seen",
            """
            {"lastGeneratedAt": "2026-12-05T10:00:00Z", "applications": 4,
             "errors": [{"location": "spec.generators[0].git.repoURL", "message": "cannot read",
                         "since": "2026-12-05T08:00:00Z"}],
             "conditions": [{"type": "ErrorOccurred", "status": "True", "reason": "X",
                             "message": "1 error(s)", "lastTransitionTime": "2026-12-05T08:00:00Z"}]}
            """,
            "Error",
            List.of("spec.generators[0].git.repoURL: cannot read"),
            "2026-12-05T08:00:00Z"),
        new Case(
            "a deletion under way wins",
            """
            {"deletion": {"remaining": 2}, "errors": [{"location": "x", "message": "y"}]}
            """,
            "Deleting",
            List.of("x: y"),
            null),
        new Case(
            "an unreadable time is shown as unknown, not an error page",
            """
            {"lastGeneratedAt": "yesterday", "conditions": [{"type": "ErrorOccurred", "status": "False",
              "lastTransitionTime": 7}]}
            """,
            "Not generated yet",
            List.of(),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsTheStoredStatus(Case c) {
    JsonObject status = c.status() == null ? null : new JsonObject(c.status());
    ApplicationSetSummary s =
        ApplicationSetSummary.of(
            new StoredApplicationSet("s", DOCUMENT, status, null), AppCounts.NONE);
    assertThat(s.project()).isEqualTo("shop");
    assertThat(s.generators()).containsExactly("all clusters");
    assertThat(s.state()).isEqualTo(c.state());
    assertThat(s.errors()).extracting(e -> e.location() + ": " + e.message()).isEqualTo(c.errors());
    Instant since = s.conditions().isEmpty() ? null : s.conditions().get(0).since();
    assertThat(since).isEqualTo(c.since() == null ? null : Instant.parse(c.since()));
  }

  @org.junit.jupiter.api.Test
  void aConditionIsBadWhenAnErrorOccurredOrSomethingIsNotUpToDate() {
    assertThat(new ApplicationSetSummary.Condition("ErrorOccurred", "True", "", "", null).bad())
        .isTrue();
    assertThat(new ApplicationSetSummary.Condition("ErrorOccurred", "False", "", "", null).bad())
        .isFalse();
    assertThat(
            new ApplicationSetSummary.Condition("ResourcesUpToDate", "False", "", "", null).bad())
        .isTrue();
    assertThat(
            new ApplicationSetSummary.Condition("ParametersGenerated", "True", "", "", null).bad())
        .isFalse();
  }
}
