package dev.flotilla.controlplane.appset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.appset.plan.GenerationPlan;
import dev.flotilla.generators.GenerationError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenerationStatusTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-12-01T10:03:00Z");
  private static final Duration REQUEUE = Duration.ofMinutes(3);

  private static GenerationPlan plan(List<GenerationError> errors) {
    return new GenerationPlan(
        List.of(), List.of(), List.of(), errors, List.of(), 2, Set.of("c1"), Optional.empty());
  }

  private static JsonObject condition(JsonObject status, String type) {
    JsonArray all = status.getJsonArray("conditions");
    for (int i = 0; i < all.size(); i++) {
      if (type.equals(all.getJsonObject(i).getString("type"))) {
        return all.getJsonObject(i);
      }
    }
    throw new AssertionError("no " + type);
  }

  @Test
  void aCleanGenerationIsUpToDate() {
    JsonObject s = GenerationStatus.of(null, plan(List.of()), null, true, REQUEUE, T0);
    assertThat(condition(s, "ErrorOccurred").getString("status")).isEqualTo("False");
    assertThat(condition(s, "ErrorOccurred").getString("message"))
        .isEqualTo("generated without errors");
    assertThat(condition(s, "ResourcesUpToDate").getString("status")).isEqualTo("True");
    assertThat(condition(s, "ParametersGenerated").getString("status")).isEqualTo("True");
    assertThat(s.getInteger("applications")).isEqualTo(2);
    assertThat(s.getLong("requeueAfterSeconds")).isEqualTo(180);
  }

  @Test
  void aFailedDispatchIsAnErrorEvenWithoutGenerationErrors() {
    GenerationStatus.Failure dispatch =
        new GenerationStatus.Failure("dispatch", "DispatchError", "telling the agents failed: x");
    JsonObject s = GenerationStatus.of(null, plan(List.of()), dispatch, true, REQUEUE, T0);
    JsonObject error = condition(s, "ErrorOccurred");
    assertThat(error.getString("status")).isEqualTo("True");
    assertThat(error.getString("reason")).isEqualTo("DispatchError");
    assertThat(error.getString("message")).contains("reconcile.dispatch: telling the agents");
    assertThat(condition(s, "ResourcesUpToDate").getString("message"))
        .contains("agents were not all told");
    assertThat(s.getJsonArray("errors").getJsonObject(0).getString("since"))
        .isEqualTo(T0.toString());
  }

  @Test
  void aFailureBeforePlanningKeepsTheLastCountAndSaysGenerationDidNotRun() {
    JsonObject previous = GenerationStatus.of(null, plan(List.of()), null, true, REQUEUE, T0);
    GenerationStatus.Failure load =
        new GenerationStatus.Failure(
            "generate", "ApplicationParamsGenerationError", "generation could not run: db down");
    JsonObject s = GenerationStatus.of(previous, null, load, false, REQUEUE, T1);
    assertThat(s.getInteger("applications")).isEqualTo(2);
    assertThat(condition(s, "ParametersGenerated").getString("status")).isEqualTo("False");
    assertThat(condition(s, "ParametersGenerated").getString("lastTransitionTime"))
        .isEqualTo(T1.toString());
    assertThat(condition(s, "ErrorOccurred").getString("lastTransitionTime"))
        .isEqualTo(T1.toString());
  }

  @Test
  void lastTransitionTimeAndErrorSinceStayWhileNothingChanges() {
    List<GenerationError> errors = List.of(new GenerationError("spec", "bad"));
    JsonObject first = GenerationStatus.of(null, plan(errors), null, true, REQUEUE, T0);
    JsonObject second = GenerationStatus.of(first, plan(errors), null, true, REQUEUE, T1);
    assertThat(condition(second, "ErrorOccurred").getString("lastTransitionTime"))
        .isEqualTo(T0.toString());
    assertThat(second.getJsonArray("errors").getJsonObject(0).getString("since"))
        .isEqualTo(T0.toString());
    assertThat(second.getString("lastGeneratedAt")).isEqualTo(T1.toString());

    JsonObject cleared = GenerationStatus.of(second, plan(List.of()), null, true, REQUEUE, T1);
    assertThat(condition(cleared, "ErrorOccurred").getString("lastTransitionTime"))
        .isEqualTo(T1.toString());
  }

  @Test
  void warningsShowAsAWarningConditionAndKeepTheirSince() {
    List<GenerationError> warnings =
        List.of(new GenerationError("spec.templatePatch", "spec.project ... is ignored"));
    GenerationPlan warned =
        new GenerationPlan(
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            2,
            Set.of("c1"),
            Optional.empty(),
            warnings);
    JsonObject first = GenerationStatus.of(null, warned, null, true, REQUEUE, T0);
    assertThat(condition(first, "Warning").getString("status")).isEqualTo("True");
    assertThat(condition(first, "Warning").getString("message"))
        .contains("spec.templatePatch", "is ignored");
    assertThat(condition(first, "ErrorOccurred").getString("status")).isEqualTo("False");
    JsonObject second = GenerationStatus.of(first, warned, null, true, REQUEUE, T1);
    assertThat(second.getJsonArray("warnings").getJsonObject(0).getString("since"))
        .isEqualTo(T0.toString());
    JsonObject clean = GenerationStatus.of(second, plan(List.of()), null, true, REQUEUE, T1);
    assertThat(clean.getJsonArray("conditions").stream())
        .noneMatch(c -> "Warning".equals(((JsonObject) c).getString("type")));
  }
}
