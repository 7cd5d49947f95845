package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.model.Application;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StoredApplicationTest {

  private static StoredApplication stored(JsonObject document) {
    return new StoredApplication("web", "set", "default", "c1", document, "", 1, null, true);
  }

  @Test
  void theStoredDocumentIsTypedWithoutLosingWhatTheModelDoesNotKnow() {
    // Built with put(): nested values are JsonObject/JsonArray, not maps, as the store's rows hold.
    JsonObject document =
        new JsonObject()
            .put("apiVersion", "argoproj.io/v1alpha1")
            .put("metadata", new JsonObject().put("name", "web"))
            .put(
                "spec",
                new JsonObject()
                    .put("project", "team-a")
                    .put("revisionHistoryLimit", 3)
                    .put(
                        "sources",
                        new JsonArray()
                            .add(new JsonObject().put("repoURL", "https://git.example/a.git")))
                    .put("destination", new JsonObject().put("namespace", "web")));

    Application app = stored(document).application();

    assertThat(app.name()).isEqualTo("web");
    assertThat(app.project()).isEqualTo("team-a");
    assertThat(app.spec().sources().get(0).repoURL()).isEqualTo("https://git.example/a.git");
    assertThat(app.spec().destination().namespace()).isEqualTo("web");
    assertThat(app.spec().unknown().path("revisionHistoryLimit").intValue()).isEqualTo(3);
    assertThat(new JsonObject(app.toJson().toString())).isEqualTo(document);
  }

  @Test
  void aStoredDocumentWithAFieldOfTheWrongTypeIsRefusedNamingIt() {
    JsonObject document =
        new JsonObject().put("spec", new JsonObject().put("destination", new JsonArray()));

    assertThatThrownBy(() -> stored(document).application())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spec.destination must be an object");
  }

  @Test
  void aChartSourceIsNoGitRepositoryToPoll() {
    JsonObject git =
        new JsonObject()
            .put(
                "spec",
                new JsonObject()
                    .put("source", new JsonObject().put("repoURL", "https://git.example/a.git")));
    JsonObject helmRepository =
        new JsonObject()
            .put(
                "spec",
                new JsonObject()
                    .put(
                        "source",
                        new JsonObject()
                            .put("repoURL", "https://charts.example")
                            .put("chart", "web")
                            .put("targetRevision", "1.2.*")));
    JsonObject oci =
        new JsonObject()
            .put(
                "spec",
                new JsonObject()
                    .put("source", new JsonObject().put("repoURL", "oci://registry.example/web")));

    assertThat(stored(git).gitRepoUrl()).isEqualTo("https://git.example/a.git");
    assertThat(stored(helmRepository).gitRepoUrl()).isEmpty();
    assertThat(stored(helmRepository).repoUrl()).isEqualTo("https://charts.example");
    assertThat(stored(oci).gitRepoUrl()).isEmpty();
  }
}
