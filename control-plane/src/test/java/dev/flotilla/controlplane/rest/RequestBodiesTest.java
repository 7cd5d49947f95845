package dev.flotilla.controlplane.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RequestBodiesTest {

  private static Object read(String body, String contentType) {
    return RequestBodies.read(Buffer.buffer(body), contentType);
  }

  @Test
  void jsonAndYamlBodiesGiveTheSameTree() {
    Object json = read("{\"name\":\"web\",\"labels\":{\"env\":\"prod\"}}", "application/json");
    Object yaml = read("name: web\nlabels:\n  env: prod\n", "application/yaml");
    Object flow = read("{name: web, labels: {env: prod}}", null);
    assertThat(json).isInstanceOf(JsonObject.class).isEqualTo(yaml).isEqualTo(flow);
    assertThat(read("[1, 2]", null)).isEqualTo(new JsonArray().add(1).add(2));
    assertThat(read("  \n", "application/json")).isNull();
  }

  record Case(String name, String body, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> refused() {
    return Stream.of(
        new Case("NUL in a JSON value", "{\"a\":{\"b\":\"x\\u0000\"}}", "a.b: contains a NUL"),
        new Case("NUL in a JSON key", "{\"a\\u0000\":1}", "a\\u0000: contains a NUL"),
        new Case("NUL in a list", "{\"a\":[\"ok\",\"x\\u0000\"]}", "a[1]: contains a NUL"),
        new Case("NUL in YAML", "metadata:\n  name: \"x\\0\"\n", "metadata.name: contains a NUL"),
        new Case("NUL as the whole body", "\"\\u0000\"", "body: contains a NUL"),
        new Case("broken JSON", "{\"id\": ", "body is not a JSON object"),
        new Case("broken YAML", "a: [", "body is not valid YAML or JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusalsNameTheField(Case c) {
    assertThatThrownBy(() -> read(c.body(), null))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith(c.message());
  }

  @Test
  void aJsonContentTypeIsParsedAsJsonOnly() {
    assertThatThrownBy(() -> read("a: 1", "application/json; charset=utf-8"))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith("body is not a JSON object");
  }
}
