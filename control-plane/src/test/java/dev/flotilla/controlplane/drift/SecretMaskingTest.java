package dev.flotilla.controlplane.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretMaskingTest {

  private static final String M = SecretMasking.MASK;

  record Case(String name, String path, String value, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> secretCases() {
    return Stream.of(
        new Case("a data value", "/data/password", "\"aHVudGVyMg==\"", M),
        new Case("a stringData value", "/stringData/pw", "\"hunter2\"", M),
        new Case("a non-string data value", "/data/n", "{\"x\":1}", M),
        new Case("already masked stays masked", "/data/p", M, M),
        new Case("absence is shown", "/data/p", "null", "null"),
        new Case("the whole data map", "/data", "{\"a\":\"c2VjcmV0\"}", "{\"a\":\"++++++++\"}"),
        new Case("data map that is not an object", "/data", "\"oops\"", M),
        new Case("unparseable data map", "/data", "{not json", M),
        new Case(
            "whole object",
            "",
            "{\"kind\":\"Secret\",\"data\":{\"a\":\"c2VjcmV0\"},\"stringData\":{\"b\":\"pw\"},\"type\":\"Opaque\"}",
            "{\"kind\":\"Secret\",\"data\":{\"a\":\"++++++++\"},\"stringData\":{\"b\":\"++++++++\"},\"type\":\"Opaque\"}"),
        new Case(
            "whole object as /",
            "/",
            "{\"data\":{\"a\":\"x\"}}",
            "{\"data\":{\"a\":\"++++++++\"}}"),
        new Case("whole object unparseable", "", "apiVersion: v1", M),
        new Case(
            "last-applied annotation",
            "/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration",
            "\"{\\\"data\\\":{\\\"a\\\":\\\"c2VjcmV0\\\"}}\"",
            M),
        new Case(
            "annotations map",
            "/metadata/annotations",
            "{\"flotilla.dev/last-applied\":\"{}\",\"team\":\"a\"}",
            "{\"flotilla.dev/last-applied\":\"++++++++\",\"team\":\"a\"}"),
        new Case(
            "metadata",
            "/metadata",
            "{\"name\":\"s\",\"annotations\":{\"flotilla.dev/last-applied\":\"{}\"}}",
            "{\"name\":\"s\",\"annotations\":{\"flotilla.dev/last-applied\":\"++++++++\"}}"),
        new Case("an ordinary annotation", "/metadata/annotations/team", "\"a\"", "\"a\""),
        new Case("a label", "/metadata/labels/app", "\"web\"", "\"web\""),
        new Case("the type", "/type", "\"Opaque\"", "\"Opaque\""),
        new Case("escaped pointer into data", "/data/a~1b", "\"x\"", M));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("secretCases")
  void secretValuesAreMasked(Case c) {
    JsonArray fields =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("path", c.path())
                    .put("desired", c.value())
                    .put("live", c.value()));
    JsonObject masked = SecretMasking.maskFields("Secret", fields).getJsonObject(0);
    assertThat(masked.getString("desired")).isEqualTo(c.expected());
    assertThat(masked.getString("live")).isEqualTo(c.expected());
    assertThat(masked.getString("path")).isEqualTo(c.path());
  }

  @Test
  void otherKindsAreShownAsTheyAre() {
    JsonArray fields =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("path", "/data/k")
                    .put("desired", "\"v\"")
                    .put("live", "\"w\""));
    assertThat(SecretMasking.maskFields("ConfigMap", fields)).isEqualTo(fields);
  }

  @Test
  void entriesThatAreNotFieldDiffsAreDroppedForSecrets() {
    JsonArray fields = new JsonArray().add("c2VjcmV0").add(new JsonObject().put("path", "/data/a"));
    JsonArray masked = SecretMasking.maskFields("Secret", fields);
    assertThat(masked.encode()).doesNotContain("c2VjcmV0");
    assertThat(masked).hasSize(1);
  }

  @Test
  void nonStringValuesAreEncodedThenMasked() {
    JsonArray fields =
        new JsonArray()
            .add(
                new JsonObject()
                    .put("path", "")
                    .put(
                        "desired",
                        new JsonObject().put("data", new JsonObject().put("a", "c2VjcmV0"))));
    assertThat(SecretMasking.maskFields("Secret", fields).encode()).doesNotContain("c2VjcmV0");
  }
}
