package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.generators.GeneratedApplication;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.GenerationResult;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApplicationSetPreviewTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Case(
      String name,
      List<String> produced,
      List<GenerationError> errors,
      List<String> now,
      List<String> added,
      List<String> removed,
      String note) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    GenerationError bad = new GenerationError("spec.generators[0]", "boom");
    return Stream.of(
        new Case(
            "nothing changes",
            List.of("a", "b"),
            List.of(),
            List.of("a", "b"),
            List.of(),
            List.of(),
            ""),
        new Case(
            "one new, one gone: deleted only as the policy allows",
            List.of("a", "c"),
            List.of(),
            List.of("a", "b"),
            List.of("c"),
            List.of("b"),
            "Deleted if the applicationsSync policy allows deleting"),
        new Case(
            "a generation with errors deletes nothing",
            List.of("a"),
            List.of(bad),
            List.of("a", "b"),
            List.of(),
            List.of("b"),
            "Kept: generation had errors"),
        new Case(
            "an empty generation deletes nothing without the annotation",
            List.of(),
            List.of(),
            List.of("a"),
            List.of(),
            List.of("a"),
            "flotilla.dev/allow-empty-generation"),
        new Case(
            "a new set: everything is new",
            List.of("x"),
            List.of(),
            List.of(),
            List.of("x"),
            List.of(),
            ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void comparesADryRunWithWhatTheSetHasNow(Case c) {
    GenerationResult result =
        new GenerationResult(
            c.produced().stream().map(ApplicationSetPreviewTest::app).toList(),
            c.errors(),
            Optional.empty());
    ApplicationSetPreview preview = ApplicationSetPreview.of(result, c.now());
    assertThat(preview.applications())
        .extracting(ApplicationSetPreview.Produced::name)
        .containsExactlyElementsOf(c.produced());
    assertThat(preview.applications().stream().filter(ApplicationSetPreview.Produced::added))
        .extracting(ApplicationSetPreview.Produced::name)
        .containsExactlyElementsOf(c.added());
    assertThat(preview.addedCount()).isEqualTo(c.added().size());
    assertThat(preview.removed()).containsExactlyElementsOf(c.removed());
    assertThat(preview.errors()).isEqualTo(c.errors());
    if (c.note().isEmpty()) {
      assertThat(preview.removalNote()).isEmpty();
    } else {
      assertThat(preview.removalNote()).contains(c.note());
    }
  }

  @org.junit.jupiter.api.Test
  void eachProducedApplicationSaysWhereItGoesAndWhatItDeploys() {
    ApplicationSetPreview preview =
        ApplicationSetPreview.of(
            new GenerationResult(List.of(app("shop-east")), List.of(), Optional.empty()),
            List.of());
    assertThat(preview.applications())
        .containsExactly(
            new ApplicationSetPreview.Produced(
                "shop-east", "shop", "east / shop", "https://git.example/r apps/one@main", true));
  }

  private static GeneratedApplication app(String name) {
    try {
      ObjectNode document =
          (ObjectNode)
              JSON.readTree(
                  """
                  {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
                   "metadata": {"name": "%s"},
                   "spec": {"project": "shop",
                            "source": {"repoURL": "https://git.example/r", "path": "apps/one",
                                       "targetRevision": "main"},
                            "destination": {"name": "east", "namespace": "shop"}}}
                  """
                      .formatted(name));
      return new GeneratedApplication(name, document);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
