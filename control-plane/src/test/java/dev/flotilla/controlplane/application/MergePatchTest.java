package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 7386's own examples (appendix A), among others. */
class MergePatchTest {

  record Case(String name, String target, String patch, String want) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("replace a field", "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"),
        new Case("add a field", "{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"),
        new Case("null removes", "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"),
        new Case(
            "lists replace", "{\"a\":[\"b\"]}", "{\"a\":[\"c\",\"d\"]}", "{\"a\":[\"c\",\"d\"]}"),
        new Case(
            "objects merge deeply",
            "{\"spec\":{\"source\":{\"path\":\"a\",\"repoURL\":\"r\"}}}",
            "{\"spec\":{\"source\":{\"path\":\"b\"}}}",
            "{\"spec\":{\"source\":{\"path\":\"b\",\"repoURL\":\"r\"}}}"),
        new Case(
            "an object replaces a scalar",
            "{\"a\":\"b\"}",
            "{\"a\":{\"c\":null,\"d\":1}}",
            "{\"a\":{\"d\":1}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void patches(Case c) {
    JsonObject target = new JsonObject(c.target());
    assertThat(MergePatch.apply(target, new JsonObject(c.patch())))
        .isEqualTo(new JsonObject(c.want()));
    assertThat(target).isEqualTo(new JsonObject(c.target()));
  }
}
