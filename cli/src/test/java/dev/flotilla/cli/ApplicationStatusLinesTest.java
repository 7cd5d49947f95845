package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ApplicationStatusLinesTest {

  @Test
  void commitConditionsAndWindowEachGetALine() {
    JsonObject app =
        new JsonObject()
            .put(
                "commit",
                new JsonObject()
                    .put("sha", "1a2b3c4d5e6f1a2b3c4d5e6f1a2b3c4d5e6f1a2b")
                    .put("author", "Ada Lovelace")
                    .put("subject", "Scale web to 3")
                    .put("date", "2026-01-01T10:00Z"))
            .put(
                "conditions",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("type", "ComparisonError")
                            .put("message", "path 'apps/missing' does not exist")
                            .put("lastTransitionTime", "2026-01-01T10:01:00Z"))
                    .add(
                        new JsonObject()
                            .put("type", "InvalidSpecError")
                            .put("message", "cluster 'east' is not registered")
                            .putNull("lastTransitionTime")))
            .put(
                "syncWindow",
                new JsonObject().put("message", "Sync denied by window deny '0 22 * * *' (1h)"));

    assertThat(ApplicationStatusLines.of(app))
        .containsExactly(
            "  commit:      1a2b3c4d by Ada Lovelace: Scale web to 3 (2026-01-01T10:00Z)",
            "  conditions:  ComparisonError: path 'apps/missing' does not exist"
                + " (since 2026-01-01T10:01:00Z)",
            "               InvalidSpecError: cluster 'east' is not registered",
            "  sync window: Sync denied by window deny '0 22 * * *' (1h)");
  }

  @Test
  void nothingKnownPrintsNothing() {
    assertThat(ApplicationStatusLines.of(new JsonObject().put("conditions", new JsonArray())))
        .isEmpty();
  }
}
