package dev.flotilla.controlplane.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.ApiException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

  static final Map<String, String> LABELS =
      Map.of("env", "prod", "team", "a", "flotilla.dev/tier", "web");

  @ParameterizedTest(name = "''{0}'' matches: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|true",
        "env=prod|true",
        "env==prod|true",
        "env=dev|false",
        "env!=dev|true",
        "env!=prod|false",
        "team|true",
        "owner|false",
        "!owner|true",
        "!team|false",
        "env=prod, team=a|true",
        "env=prod,team=b|false",
        "flotilla.dev/tier=web|true",
        "missing!=x|true",
        "env=|false",
      })
  void matchesLikeKubectl(String selector, boolean matches) {
    assertThat(LabelSelector.parse(selector, "label").matches(LABELS)).isEqualTo(matches);
  }

  @ParameterizedTest
  @ValueSource(strings = {"env=prod;drop", "=prod", "' OR 1=1 --", "a b=c", "env=prod,", "!"})
  void refusesWhatIsNotARequirementAndNamesTheField(String selector) {
    assertThatThrownBy(() -> LabelSelector.parse(selector, "label_selector"))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith("label_selector: ")
        .satisfies(e -> assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.INVALID));
  }
}
