package dev.flotilla.controlplane.appset;

import dev.flotilla.controlplane.appset.plan.GenerationPlan;
import dev.flotilla.generators.GenerationError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The status an ApplicationSet shows after one generation attempt, whatever its outcome: the
 * counts, errors and notes the CLI and tests read, and Argo CD's conditions ({@code ErrorOccurred},
 * {@code ParametersGenerated}, {@code ResourcesUpToDate}) with a reason and the time each last
 * changed. Pure: the previous status and the outcome in, the new status out.
 *
 * <p>A step that fails after generating (storing the Applications, telling the agents) is an error
 * like any other: it must never leave "generated without errors" on display.
 */
final class GenerationStatus {

  /** Argo CD's reason when everything was generated and stored. */
  static final String UP_TO_DATE = "ApplicationSetUpToDate";

  /**
   * A step of the reconcile chain that failed.
   *
   * @param step what was being done, as the status names it ({@code load}, {@code persist}, …)
   * @param reason Argo-style single-word reason for the conditions
   * @param message what went wrong, for people
   */
  record Failure(String step, String reason, String message) {

    /** The location errors list the failure under, e.g. {@code reconcile.persist}. */
    String location() {
      return "reconcile." + step;
    }
  }

  private GenerationStatus() {}

  /**
   * @param previous the stored status, or null before the first generation
   * @param plan the generation's plan, or null when the run failed before planning
   * @param failure the step that failed after (or instead of) planning, or null
   * @param stored whether the plan's changes were stored (false when persisting failed)
   */
  static JsonObject of(
      JsonObject previous,
      GenerationPlan plan,
      Failure failure,
      boolean stored,
      Duration requeue,
      Instant now) {
    JsonObject before = previous == null ? new JsonObject() : previous;
    List<GenerationError> errors = new ArrayList<>(plan == null ? List.of() : plan.errors());
    if (failure != null) {
      errors.add(new GenerationError(failure.location(), failure.message()));
    }
    JsonObject status =
        new JsonObject()
            .put("lastGeneratedAt", now.toString())
            .put(
                "applications",
                plan == null ? before.getInteger("applications", 0) : plan.generated())
            .put("created_or_updated", plan != null && stored ? plan.upserts().size() : 0)
            .put("deleted", plan != null && stored ? plan.deletes().size() : 0)
            .put("errors", errorsWithSince(before, errors, now))
            .put("notes", new JsonArray(plan == null ? List.of() : plan.notes()))
            .put("requeueAfterSeconds", requeue.toSeconds());
    Map<String, JsonObject> old = conditionsByType(before);
    JsonArray conditions = new JsonArray();
    conditions.add(errorOccurred(failure, errors, old, now));
    conditions.add(parametersGenerated(plan, failure, old, now));
    conditions.add(resourcesUpToDate(failure, errors, old, now));
    List<GenerationError> warnings = plan == null ? List.of() : plan.warnings();
    if (!warnings.isEmpty()) {
      JsonObject previousWarnings =
          new JsonObject().put("errors", before.getJsonArray("warnings", new JsonArray()));
      status.put("warnings", errorsWithSince(previousWarnings, warnings, now));
      conditions.add(
          condition(
              "Warning",
              true,
              "FieldIgnored",
              warnings.stream().map(GenerationError::toString).reduce((a, b) -> a + "; " + b).get(),
              old,
              now));
    }
    return status.put("conditions", conditions);
  }

  private static JsonObject errorOccurred(
      Failure failure, List<GenerationError> errors, Map<String, JsonObject> old, Instant now) {
    if (errors.isEmpty()) {
      return condition("ErrorOccurred", false, UP_TO_DATE, "generated without errors", old, now);
    }
    String reason = failure != null ? failure.reason() : "ApplicationGenerationFromParamsError";
    String message =
        errors.size()
            + " error(s): "
            + (failure != null ? failure.location() + ": " + failure.message() : errors.get(0));
    return condition("ErrorOccurred", true, reason, message, old, now);
  }

  private static JsonObject parametersGenerated(
      GenerationPlan plan, Failure failure, Map<String, JsonObject> old, Instant now) {
    if (plan == null) {
      return condition(
          "ParametersGenerated",
          false,
          failure == null ? "ErrorOccurred" : failure.reason(),
          "generation did not run: " + (failure == null ? "unknown" : failure.message()),
          old,
          now);
    }
    return condition(
        "ParametersGenerated",
        true,
        "ParametersGenerated",
        "generators produced " + plan.generated() + " Application(s)",
        old,
        now);
  }

  private static JsonObject resourcesUpToDate(
      Failure failure, List<GenerationError> errors, Map<String, JsonObject> old, Instant now) {
    if (errors.isEmpty()) {
      return condition(
          "ResourcesUpToDate", true, UP_TO_DATE, "all Applications are up to date", old, now);
    }
    String message =
        failure != null && failure.step().equals("dispatch")
            ? "Applications are stored but their agents were not all told; retried at the next"
                + " generation"
            : failure != null
                ? "the generation's changes were not stored; existing Applications are unchanged"
                : "Applications that failed to render were left unchanged";
    return condition("ResourcesUpToDate", false, "ErrorOccurred", message, old, now);
  }

  /**
   * A condition whose {@code lastTransitionTime} says since when it has had this status (as
   * Kubernetes conditions do): kept from the previous status while the status does not change.
   */
  private static JsonObject condition(
      String type,
      boolean status,
      String reason,
      String message,
      Map<String, JsonObject> old,
      Instant now) {
    String value = status ? "True" : "False";
    JsonObject previous = old.get(type);
    String since =
        previous != null
                && value.equals(previous.getString("status"))
                && previous.getString("lastTransitionTime") != null
            ? previous.getString("lastTransitionTime")
            : now.toString();
    return new JsonObject()
        .put("type", type)
        .put("status", value)
        .put("reason", reason)
        .put("message", message)
        .put("lastTransitionTime", since);
  }

  private static Map<String, JsonObject> conditionsByType(JsonObject status) {
    Map<String, JsonObject> byType = new HashMap<>();
    JsonArray conditions = status.getJsonArray("conditions", new JsonArray());
    for (int i = 0; i < conditions.size(); i++) {
      if (conditions.getValue(i) instanceof JsonObject c && c.getString("type") != null) {
        byType.put(c.getString("type"), c);
      }
    }
    return byType;
  }

  /** Each error with the time it was first seen: an error seen again keeps its {@code since}. */
  private static JsonArray errorsWithSince(
      JsonObject previous, List<GenerationError> errors, Instant now) {
    Map<String, String> since = new HashMap<>();
    JsonArray oldErrors = previous.getJsonArray("errors", new JsonArray());
    for (int i = 0; i < oldErrors.size(); i++) {
      if (oldErrors.getValue(i) instanceof JsonObject e) {
        since.put(
            e.getString("location") + "\u0000" + e.getString("message"), e.getString("since"));
      }
    }
    JsonArray out = new JsonArray();
    for (GenerationError e : errors) {
      String key = e.location() + "\u0000" + e.message();
      out.add(
          new JsonObject()
              .put("location", e.location())
              .put("message", e.message())
              .put("since", since.getOrDefault(key, now.toString())));
    }
    return out;
  }
}
