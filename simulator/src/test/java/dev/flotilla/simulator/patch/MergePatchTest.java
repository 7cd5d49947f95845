package dev.flotilla.simulator.patch;

import static dev.flotilla.simulator.patch.Fixtures.CONFIG_MAP;
import static dev.flotilla.simulator.patch.Fixtures.ENGINE;
import static dev.flotilla.simulator.patch.Fixtures.WIDGET;
import static dev.flotilla.simulator.patch.Fixtures.body;
import static dev.flotilla.simulator.patch.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MergePatchTest {

  private static final String LIVE =
      "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm','labels':{'a':'1','b':'2'}},'data':{'k':'v'},'list':[{'name':'x','v':1},{'name':'y'}]}";

  record Case(String name, String patch, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "objects merge",
            "{'metadata':{'labels':{'c':'3'}}}",
            "{'metadata':{'name':'cm','labels':{'a':'1','b':'2','c':'3'}}}"),
        new Case(
            "null deletes a key",
            "{'metadata':{'labels':{'a':null}}}",
            "{'metadata':{'name':'cm','labels':{'b':'2'}}}"),
        new Case("null deletes a whole map", "{'data':null}", "{'data':null}"),
        new Case(
            "a null for an absent key does nothing",
            "{'data':{'gone':null}}",
            "{'data':{'k':'v'}}"),
        new Case(
            "lists are replaced, never merged",
            "{'list':[{'name':'x','v':2}]}",
            "{'list':[{'name':'x','v':2}]}"),
        new Case("a scalar replaces a map", "{'data':'flat'}", "{'data':'flat'}"),
        new Case(
            "nulls inside a new map are dropped", "{'spec':{'a':1,'b':null}}", "{'spec':{'a':1}}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void merges(Case c) {
    ObjectNode live = json(LIVE);

    ObjectNode result =
        ENGINE.apply(PatchEngine.MERGE_PATCH, CONFIG_MAP, live, body(c.patch()), null, false);

    json(c.expected())
        .fields()
        .forEachRemaining(
            f -> {
              if (f.getValue().isNull()) {
                assertThat(result.has(f.getKey())).as(f.getKey() + " is deleted").isFalse();
              } else {
                assertThat(result.get(f.getKey())).isEqualTo(f.getValue());
              }
            });
    assertThat(live).as("the input is not modified").isEqualTo(json(LIVE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void customResourcesTakeMergePatchesToo(Case c) {
    ObjectNode live =
        json(LIVE.replace("'v1','kind':'ConfigMap'", "'example.com/v1','kind':'Widget'"));

    ObjectNode result =
        ENGINE.apply(PatchEngine.MERGE_PATCH, WIDGET, live, body(c.patch()), null, false);

    assertThat(result.at("/metadata/name").asText()).isEqualTo("cm");
  }

  record Refusal(String name, String patch, int code, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refusal> refusals() {
    return Stream.of(
        new Refusal("null as the whole patch", "null", 400, "Invalid JSON Patch"),
        new Refusal(
            "a list as the whole patch",
            "[1]",
            422,
            "the server rejected our request due to an error in our request"),
        new Refusal(
            "malformed JSON names the byte", "{'data':{'k'}}", 400, "(byte 12, line 1, column 13)"),
        new Refusal("an empty body", "", 400, "the patch body is empty"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(Refusal r) {
    assertThatThrownBy(
            () ->
                ENGINE.apply(
                    PatchEngine.MERGE_PATCH, CONFIG_MAP, json(LIVE), body(r.patch()), null, false))
        .isInstanceOfSatisfying(
            PatchException.class,
            e -> {
              assertThat(e.code()).isEqualTo(r.code());
              assertThat(e.getMessage()).contains(r.message());
            });
  }
}
