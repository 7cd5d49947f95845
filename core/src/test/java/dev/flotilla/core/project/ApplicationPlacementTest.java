package dev.flotilla.core.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.model.ApplicationSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApplicationPlacementTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Case(String name, String spec, ApplicationPlacement expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("empty spec", "{}", new ApplicationPlacement("app", "", List.of(), "", "", "")),
        new Case(
            "single source and destination by server",
            "{\"project\":\"p\",\"source\":{\"repoURL\":\"r1\"},"
                + "\"destination\":{\"server\":\"https://k\",\"namespace\":\"ns\"}}",
            new ApplicationPlacement("app", "p", List.of("r1"), "https://k", "", "ns")),
        new Case(
            "source without repoURL still counts",
            "{\"source\":{\"path\":\"x\"},\"destination\":{\"name\":\"c1\"}}",
            new ApplicationPlacement("app", "", List.of(""), "", "c1", "")),
        new Case(
            "multi-source: every repo, the single one first",
            "{\"source\":{\"repoURL\":\"r1\"},\"sources\":[{\"repoURL\":\"r2\"},{\"ref\":\"v\"}]}",
            new ApplicationPlacement("app", "", List.of("r1", "r2", ""), "", "", "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsThePlacementFromTheTypedSpec(Case c) throws Exception {
    JsonNode spec = JSON.readTree(c.spec());

    assertThat(ApplicationPlacement.of("app", ApplicationSpec.parse(spec))).isEqualTo(c.expected());
    assertThat(ApplicationPlacement.of("app", spec)).isEqualTo(c.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void aFieldOfTheWrongTypeIsNamed(String spec, String message) {
    assertThatThrownBy(() -> ApplicationPlacement.of("app", JSON.readTree(spec)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of("{\"project\":1}", "spec.project must be a string"),
        Arguments.of(
            "{\"sources\":[{\"repoURL\":{}}]}", "spec.sources[0].repoURL must be a string"),
        Arguments.of(
            "{\"destination\":{\"server\":[]}}", "spec.destination.server must be a string"));
  }
}
