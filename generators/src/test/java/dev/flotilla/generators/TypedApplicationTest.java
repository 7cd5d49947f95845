package dev.flotilla.generators;

import static dev.flotilla.generators.Fixtures.generate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.model.Application;
import org.junit.jupiter.api.Test;

/** What the generators hand on carries core's typed model, and loses nothing it does not model. */
class TypedApplicationTest {

  private static final String SET =
      ListGeneratorTest.appSet(
          """
          - list:
              elements:
                - cluster: a
                  path: apps/a
                  prune: 'true'
                - cluster: b
                  path: '7'
                  prune: maybe
          """,
          """
          metadata:
            name: '{{cluster}}-app'
            annotations:
              notifications.argoproj.io/subscribe.on-sync-succeeded.slack: team
          spec:
            project: default
            revisionHistoryLimit: 3
            source:
              repoURL: https://git.example/infra.git
              path: '{{path}}'
              plugin:
                name: cmp
            destination:
              name: in-cluster
              namespace: '{{cluster}}'
            syncPolicy:
              automated:
                prune: '{{prune}}'
              managedNamespaceMetadata:
                labels:
                  team: a
          """);

  @Test
  void fieldsTheModelDoesNotKnowReachTheDocumentUnchanged() {
    GenerationResult result = generate(SET, null);

    GeneratedApplication a = result.applications().get(0);
    assertThat(a.document().path("spec").path("revisionHistoryLimit").intValue()).isEqualTo(3);
    assertThat(a.document().path("spec").path("source").path("plugin").path("name").asText())
        .isEqualTo("cmp");
    assertThat(a.application().spec().unknown().path("revisionHistoryLimit").intValue())
        .isEqualTo(3);
    assertThat(a.application().spec().source().unknown().path("plugin").path("name").asText())
        .isEqualTo("cmp");
    assertThat(
            a.application()
                .spec()
                .syncPolicy()
                .unknown()
                .path("managedNamespaceMetadata")
                .path("labels")
                .path("team")
                .asText())
        .isEqualTo("a");
    // Quoted booleans are written back as booleans; everything else as it was rendered.
    assertThat(Application.parse(a.application().toJson())).isEqualTo(a.application());
    assertThat(a.application().toJson().path("spec").path("syncPolicy").path("automated"))
        .hasToString("{\"prune\":true}");
    assertThat(a.document().path("spec").path("syncPolicy").path("automated"))
        .hasToString("{\"prune\":\"true\"}");
  }

  @Test
  void theTypedModelAnswersWhatTheControlPlaneAsks() {
    GeneratedApplication a = generate(SET, null).applications().get(0);

    assertThat(a.project()).isEqualTo("default");
    assertThat(a.destinationName()).isEqualTo("in-cluster");
    assertThat(a.destinationServer()).isEmpty();
    assertThat(a.destinationNamespace()).isEqualTo("a");
    assertThat(a.repoUrl()).isEqualTo("https://git.example/infra.git");
    assertThat(a.targetRevision()).isEqualTo("HEAD");
    assertThat(a.application().spec().syncPolicy().automated().prune()).isTrue();
    assertThat(a.application().annotations())
        .containsEntry("notifications.argoproj.io/subscribe.on-sync-succeeded.slack", "team");
  }

  @Test
  void aRenderedFieldOfTheWrongTypeIsRefusedNamingItAndTheOthersAreKept() {
    GenerationResult result = generate(SET, null);

    assertThat(Fixtures.names(result)).containsExactly("a-app");
    assertThat(result.errors())
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .contains("the rendered Application 'b-app' is not valid")
                    .contains("spec.syncPolicy.automated.prune must be true or false"));
  }
}
