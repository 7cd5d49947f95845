package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How {@code spec.revisionHistoryLimit} is read, whatever a document holds there. */
class ApplicationHistoryLimitTest {

  record Case(String name, Object value, int limit) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("absent: Argo's default", null, 10),
        new Case("a number", 3, 3),
        new Case("a long", 25L, 25),
        new Case("a numeric string", "4", 4),
        new Case("zero keeps the newest", 0, 1),
        new Case("negative keeps the newest", -5, 1),
        new Case("not a number: default", "many", 10),
        new Case("not a scalar: default", new JsonObject(), 10),
        new Case("huge is capped", 1_000_000_000_000L, 10_000));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void limit(Case c) {
    JsonObject spec = new JsonObject();
    if (c.value() != null) {
      spec.put("revisionHistoryLimit", c.value());
    }
    assertThat(ApplicationHistoryRepository.limit(spec)).isEqualTo(c.limit());
  }
}
