package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.ApiException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ResourcePanelTest {

  @Test
  void theDiffIsColouredLineByLine() {
    String unified =
        """
        --- live ConfigMap web/c
        +++ desired ConfigMap web/c
        @@ -1,3 +1,3 @@
         data:
        -  greeting: edited by hand
        +  greeting: hello
        """;
    assertThat(DiffLine.of(unified).stream().map(DiffLine::kind))
        .containsExactly("head", "head", "hunk", "same", "del", "add");
    assertThat(DiffLine.of("")).isEmpty();
  }

  record Case(String text, int tail, String error) {
    @Override
    public String toString() {
      return String.valueOf(text);
    }
  }

  static Stream<Case> tails() {
    return Stream.of(
        new Case(null, 100, null),
        new Case("", 100, null),
        new Case("1", 1, null),
        new Case("5000", 5000, null),
        new Case("0", 0, "tail: must be a whole number from 1 to 5000, found '0'"),
        new Case("5001", 0, "found '5001'"),
        new Case("ten", 0, "found 'ten'"));
  }

  @ParameterizedTest(name = "tail={0}")
  @MethodSource("tails")
  void theLogTailIsBounded(Case c) {
    if (c.error() == null) {
      assertThat(UiResourcePages.tail(c.text())).isEqualTo(c.tail());
    } else {
      assertThatThrownBy(() -> UiResourcePages.tail(c.text()))
          .isInstanceOf(ApiException.class)
          .hasMessageContaining(c.error());
    }
  }

  @Test
  void anUnknownTabIsNamed() {
    assertThat(UiResourcePages.checkedTab("diff")).isEqualTo("diff");
    assertThatThrownBy(() -> UiResourcePages.checkedTab("shell"))
        .hasMessage("tab: must be one of manifest, diff, events, logs, found 'shell'");
  }
}
