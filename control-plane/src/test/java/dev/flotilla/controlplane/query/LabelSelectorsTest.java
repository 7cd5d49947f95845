package dev.flotilla.controlplane.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.ApiException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"env=prod;drop", "=prod", "' OR 1=1 --", "a b=c", "env=prod,", "!", "env in ()"})
  void refusesWhatIsNotARequirementAndNamesTheField(String selector) {
    assertThatThrownBy(() -> LabelSelectors.parse(selector, "label_selector"))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith("label_selector: ")
        .hasMessageContaining("is not a label requirement")
        .satisfies(e -> assertThat(((ApiException) e).kind()).isEqualTo(ApiException.Kind.INVALID));
  }

  @Test
  void readsTheSelectorAndTheDocumentsLabels() {
    JsonObject document =
        new JsonObject()
            .put("metadata", new JsonObject().put("labels", new JsonObject().put("tier", "web")));
    Map<String, String> labels = LabelSelectors.labelsOf(document);

    assertThat(labels).containsExactly(Map.entry("tier", "web"));
    assertThat(LabelSelectors.parse("tier in (web,api)", "label").matches(labels)).isTrue();
    assertThat(LabelSelectors.labelsOf(new JsonObject())).isEmpty();
  }
}
