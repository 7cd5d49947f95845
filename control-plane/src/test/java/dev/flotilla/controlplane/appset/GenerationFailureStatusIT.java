package dev.flotilla.controlplane.appset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generation whose Applications cannot be stored shows it in the ApplicationSet's status, as Argo
 * CD's {@code ErrorOccurred} condition does, with since when; the condition clears at the next
 * generation that succeeds. The failure is a real database error: a trigger in the test's own
 * database refuses writes to {@code applications}.
 */
class GenerationFailureStatusIT {

  @TempDir Path home;

  private static final String APP_SET =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: ApplicationSet
      metadata:
        name: failing
      spec:
        generators:
          - list:
              elements:
                - {app: one}
        template:
          metadata:
            name: '{{app}}'
          spec:
            project: default
            source:
              repoURL: https://example.invalid/repo.git
              path: '{{app}}'
            destination:
              name: nowhere
              namespace: '{{app}}'
      """;

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private static JsonObject status(ControlPlane cp) throws Exception {
    return get(cp.applicationSets().get("failing")).orElseThrow().status();
  }

  private static JsonObject condition(JsonObject status, String type) {
    JsonArray conditions = status.getJsonArray("conditions");
    assertThat(conditions).as("conditions in the status " + status.encode()).isNotNull();
    for (int i = 0; i < conditions.size(); i++) {
      if (type.equals(conditions.getJsonObject(i).getString("type"))) {
        return conditions.getJsonObject(i);
      }
    }
    throw new AssertionError("no condition " + type + " in " + status.encodePrettily());
  }

  @Test
  void aPersistFailureReachesTheStatusAndClearsOnTheNextGoodGeneration() throws Exception {
    try (ControlPlane cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home)
                .withListen("127.0.0.1", 0, 0)
                .withGitPollInterval(Duration.ofHours(1)),
            TestDatabases.fresh())) {
      get(
          cp.applications()
              .pool()
              .query(
                  "CREATE FUNCTION refuse_applications() RETURNS trigger LANGUAGE plpgsql AS"
                      + " $$ BEGIN RAISE EXCEPTION 'injected: no space left on device'; END $$;"
                      + " CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON applications"
                      + " FOR EACH ROW EXECUTE FUNCTION refuse_applications()")
              .execute());
      Instant before = Instant.now();

      assertThatThrownBy(() -> get(cp.controller().apply(APP_SET)))
          .hasMessageContaining("injected: no space left on device");

      JsonObject failed = status(cp);
      JsonObject error = condition(failed, "ErrorOccurred");
      assertThat(error.getString("status")).isEqualTo("True");
      assertThat(error.getString("reason")).isEqualTo("UpdateApplicationError");
      assertThat(error.getString("message"))
          .contains("storing the generated Applications failed")
          .contains("injected: no space left on device");
      Instant since = Instant.parse(error.getString("lastTransitionTime"));
      assertThat(since).isAfterOrEqualTo(before);
      assertThat(condition(failed, "ResourcesUpToDate").getString("status")).isEqualTo("False");
      assertThat(condition(failed, "ParametersGenerated").getString("status")).isEqualTo("True");
      assertThat(failed.getJsonArray("errors").getJsonObject(0).getString("location"))
          .isEqualTo("reconcile.persist");
      assertThat(failed.getInteger("created_or_updated")).isZero();
      assertThat(get(cp.applications().listByApplicationSet("failing"))).isEmpty();

      // Failing again: still an error, and still since the first failure.
      assertThatThrownBy(() -> get(cp.controller().reconcile("failing")))
          .hasMessageContaining("injected");
      assertThat(condition(status(cp), "ErrorOccurred").getString("lastTransitionTime"))
          .isEqualTo(since.toString());

      get(cp.applications().pool().query("DROP TRIGGER refuse ON applications").execute());
      get(cp.controller().reconcile("failing"));

      JsonObject healed = status(cp);
      JsonObject cleared = condition(healed, "ErrorOccurred");
      assertThat(cleared.getString("status")).isEqualTo("False");
      assertThat(cleared.getString("reason")).isEqualTo(GenerationStatus.UP_TO_DATE);
      assertThat(Instant.parse(cleared.getString("lastTransitionTime"))).isAfter(since);
      assertThat(condition(healed, "ResourcesUpToDate").getString("status")).isEqualTo("True");
      assertThat(healed.getJsonArray("errors")).isEmpty();
      assertThat(healed.getInteger("created_or_updated")).isEqualTo(1);
      assertThat(get(cp.applications().listByApplicationSet("failing"))).hasSize(1);
    }
  }
}
