package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.proto.agent.v1.Assignment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SourceRevisionsTest {

  static JsonObject spec(JsonObject... sources) {
    JsonArray list = new JsonArray();
    for (JsonObject s : sources) {
      list.add(s);
    }
    return new JsonObject().put("sources", list);
  }

  static JsonObject git(String url, String revision) {
    JsonObject s = new JsonObject().put("repoURL", url);
    return revision == null ? s : s.put("targetRevision", revision);
  }

  @Test
  void onlyGitSourcesAreResolvedByTheControlPlane() {
    JsonObject spec =
        spec(
            git("https://git.example/charts.git", "v1"),
            git("https://charts.example", "1.2.0").put("chart", "db"),
            git("oci://registry.example/charts/api", "2.0.0"),
            git("https://git.example/values.git", null).put("ref", "values"));

    assertThat(SourceRevisions.gitSources(spec))
        .containsExactly(
            new SourceRevisions.GitSource(0, "https://git.example/charts.git", "v1"),
            new SourceRevisions.GitSource(3, "https://git.example/values.git", "HEAD"));
  }

  @Test
  void eachPollSetsItsOwnSourcesEntry() {
    assertThat(SourceRevisions.with("", 3, 1, "b1")).isEqualTo(",b1,");
    assertThat(SourceRevisions.with(",b1,", 3, 0, "a1")).isEqualTo("a1,b1,");
    assertThat(SourceRevisions.with("a1,b1,", 3, 1, "b2")).isEqualTo("a1,b2,");
    assertThat(SourceRevisions.with("a1,b1", 3, 2, "c1"))
        .as("a text of other sources counts as nothing resolved")
        .isEqualTo(",,c1");
  }

  @Test
  void aMultiSourceAssignmentCarriesOneRevisionPerSource() {
    JsonObject document =
        new JsonObject()
            .put(
                "spec",
                spec(
                    git("https://git.example/charts.git", "v1"),
                    git("https://git.example/values.git", null).put("ref", "values")));
    StoredApplication app =
        new StoredApplication("hc", "set", "default", "c1", document, "a1,", 7, null, true);

    Assignment a = app.toAssignment();

    assertThat(app.isMultiSource()).isTrue();
    assertThat(a.getRevision()).isEmpty();
    assertThat(a.getSourceRevisionsList()).containsExactly("a1", "");
  }

  @Test
  void theRevisionsAreKeptOnlyForTheSameSources() {
    JsonObject one =
        spec(git("https://git.example/a.git", "main"), git("https://git.example/b.git", null));
    JsonObject same =
        spec(git("https://git.example/a.git", "main"), git("https://git.example/b.git", null));
    JsonObject swapped =
        spec(git("https://git.example/b.git", null), git("https://git.example/a.git", "main"));

    assertThat(SourceRevisions.resolvedFor(one)).isEqualTo(SourceRevisions.resolvedFor(same));
    assertThat(SourceRevisions.resolvedFor(one)).isNotEqualTo(SourceRevisions.resolvedFor(swapped));
  }
}
