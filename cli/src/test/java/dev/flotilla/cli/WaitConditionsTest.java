package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code app wait}'s conditions, with {@code argocd app wait}'s defaults and health rules. */
class WaitConditionsTest {

  /** flags: s=sync h=health o=operation u=suspended d=degraded. */
  record Case(String name, String flags, JsonObject app, List<String> unmet) {
    @Override
    public String toString() {
      return name;
    }

    WaitConditions conditions() {
      return WaitConditions.of(
          flags.contains("s"),
          flags.contains("h"),
          flags.contains("o"),
          flags.contains("u"),
          flags.contains("d"));
    }
  }

  private static JsonObject app(String sync, String health) {
    return new JsonObject()
        .put("name", "web")
        .put("syncStatus", sync)
        .put("health", health)
        .put("generation", 4)
        .put("statusGeneration", 4);
  }

  private static JsonObject running(JsonObject app) {
    return app.put(
        "operationState", new JsonObject().put("phase", "Running").put("message", "wave 1 of 2"));
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("default: synced, healthy, no operation", "", app("Synced", "Healthy"), List.of()),
        new Case(
            "default waits for all three",
            "",
            running(app("OutOfSync", "Progressing")),
            List.of(
                "sync is OutOfSync (want Synced)",
                "health is Progressing (want Healthy)",
                "operation is Running (wave 1 of 2)")),
        new Case(
            "default: Suspended is not Healthy",
            "",
            app("Synced", "Suspended"),
            List.of("health is Suspended (want Healthy)")),
        new Case("--sync only", "s", app("Synced", "Degraded"), List.of()),
        new Case(
            "--sync: a status of an older generation is not enough",
            "s",
            app("Synced", "Healthy").put("statusGeneration", 3),
            List.of(
                "sync status is of generation 3, not the current 4 (the agent has not reported"
                    + " the newest spec yet)")),
        new Case("--health only ignores sync", "h", app("OutOfSync", "Healthy"), List.of()),
        new Case(
            "--health --suspended: either counts", "hu", app("OutOfSync", "Suspended"), List.of()),
        new Case(
            "--degraded alone: only Degraded counts",
            "d",
            app("Synced", "Healthy"),
            List.of("health is Healthy (want Degraded)")),
        new Case(
            "--health --suspended --degraded",
            "hud",
            app("Synced", "Progressing"),
            List.of("health is Progressing (want Healthy or Suspended or Degraded)")),
        new Case(
            "--operation: a finished one is fine",
            "o",
            app("OutOfSync", "Missing")
                .put("operationState", new JsonObject().put("phase", "Failed")),
            List.of()),
        new Case(
            "--operation: terminating still runs",
            "o",
            app("Synced", "Healthy")
                .put("operationState", new JsonObject().put("phase", "Terminating")),
            List.of("operation is Terminating")),
        new Case(
            "a dispatch error is named when waiting",
            "s",
            app("Unknown", "Unknown").put("dispatchError", "project 'x' does not exist"),
            List.of("sync is Unknown (want Synced)", "not dispatched: project 'x' does not exist")),
        new Case(
            "no status yet",
            "sh",
            new JsonObject().put("name", "web").put("generation", 1),
            List.of("sync is Unknown (want Synced)", "health is Unknown (want Healthy)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void unmet(Case c) {
    assertThat(c.conditions().unmet(c.app())).containsExactlyElementsOf(c.unmet());
  }
}
