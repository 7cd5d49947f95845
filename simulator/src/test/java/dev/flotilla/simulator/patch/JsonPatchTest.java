package dev.flotilla.simulator.patch;

import static dev.flotilla.simulator.patch.Fixtures.CONFIG_MAP;
import static dev.flotilla.simulator.patch.Fixtures.ENGINE;
import static dev.flotilla.simulator.patch.Fixtures.body;
import static dev.flotilla.simulator.patch.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JsonPatchTest {

  private static final String LIVE =
      "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm','annotations':{'a/b':'x','c~d':'y'}},"
          + "'data':{'k':'v','n':'1'},'list':[1,2,3]}";

  record Case(String name, String patch, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "add a key",
            "[{'op':'add','path':'/data/new','value':'z'}]",
            "{'data':{'k':'v','n':'1','new':'z'}}"),
        new Case(
            "add replaces an existing key",
            "[{'op':'add','path':'/data/k','value':'w'}]",
            "{'data':{'k':'w','n':'1'}}"),
        new Case("remove", "[{'op':'remove','path':'/data/n'}]", "{'data':{'k':'v'}}"),
        new Case(
            "replace",
            "[{'op':'replace','path':'/data/k','value':'w'}]",
            "{'data':{'k':'w','n':'1'}}"),
        new Case(
            "move",
            "[{'op':'move','from':'/data/n','path':'/data/m'}]",
            "{'data':{'k':'v','m':'1'}}"),
        new Case(
            "copy",
            "[{'op':'copy','from':'/data/k','path':'/data/c'}]",
            "{'data':{'k':'v','n':'1','c':'v'}}"),
        new Case(
            "passing test then replace",
            "[{'op':'test','path':'/data/k','value':'v'},{'op':'replace','path':'/data/k','value':'t'}]",
            "{'data':{'k':'t','n':'1'}}"),
        new Case(
            "~1 escapes a slash",
            "[{'op':'replace','path':'/metadata/annotations/a~1b','value':'z'}]",
            "{'metadata':{'name':'cm','annotations':{'a/b':'z','c~d':'y'}}}"),
        new Case(
            "~0 escapes a tilde",
            "[{'op':'remove','path':'/metadata/annotations/c~0d'}]",
            "{'metadata':{'name':'cm','annotations':{'a/b':'x'}}}"),
        new Case(
            "- appends to a list",
            "[{'op':'add','path':'/list/-','value':4}]",
            "{'list':[1,2,3,4]}"),
        new Case(
            "an index inserts", "[{'op':'add','path':'/list/0','value':0}]", "{'list':[0,1,2,3]}"),
        new Case("remove by index", "[{'op':'remove','path':'/list/1'}]", "{'list':[1,3]}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applies(Case c) {
    ObjectNode live = json(LIVE);
    ObjectNode result =
        ENGINE.apply(PatchEngine.JSON_PATCH, CONFIG_MAP, live, body(c.patch()), null, false);

    json(c.expected())
        .fields()
        .forEachRemaining(f -> assertThat(result.get(f.getKey())).isEqualTo(f.getValue()));
    assertThat(live).as("the input is not modified").isEqualTo(json(LIVE));
  }

  record Refusal(String name, String patch, int code, String reason, String message, String cause) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refusal> refusals() {
    String rejected = "the server rejected our request due to an error in our request";
    return Stream.of(
        new Refusal(
            "failed test is 422 as kube-apiserver answers",
            "[{'op':'test','path':'/data/k','value':'other'}]",
            422,
            "Invalid",
            rejected,
            "testing value /data/k failed: test failed"),
        new Refusal(
            "replace of a missing key",
            "[{'op':'replace','path':'/data/missing','value':'x'}]",
            422,
            "Invalid",
            rejected,
            "operation 0 (replace /data/missing) does not apply: Missing field \"missing\""),
        new Refusal(
            "remove of a missing key",
            "[{'op':'remove','path':'/data/missing'}]",
            422,
            "Invalid",
            rejected,
            "operation 0 (remove /data/missing) does not apply"),
        new Refusal(
            "a missing list index",
            "[{'op':'replace','path':'/list/7','value':9}]",
            422,
            "Invalid",
            rejected,
            "operation 0 (replace /list/7) does not apply: Array index 7 out of bounds"),
        new Refusal(
            "add below a missing parent",
            "[{'op':'add','path':'/spec/template/x','value':1}]",
            422,
            "Invalid",
            rejected,
            "operation 0 (add /spec/template/x) does not apply: Missing field \"spec\""),
        new Refusal(
            "the second operation fails",
            "[{'op':'add','path':'/data/x','value':'1'},{'op':'remove','path':'/nope'}]",
            422,
            "Invalid",
            rejected,
            "operation 1 (remove /nope)"),
        new Refusal(
            "an unknown op",
            "[{'op':'frobnicate','path':'/data/k'}]",
            422,
            "Invalid",
            rejected,
            "operation 0: Unexpected kind: frobnicate"),
        new Refusal(
            "an op without value",
            "[{'op':'add','path':'/data/k'}]",
            422,
            "Invalid",
            rejected,
            "operation 0 (add): missing \"value\""),
        new Refusal(
            "not a list of operations",
            "{'op':'add'}",
            400,
            "BadRequest",
            "json: cannot unmarshal object into a JSON Patch",
            null),
        new Refusal(
            "malformed JSON names the byte",
            "[{'op':'add',}]",
            400,
            "BadRequest",
            "(byte 13, line 1, column 14)",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(Refusal r) {
    assertThatThrownBy(
            () ->
                ENGINE.apply(
                    PatchEngine.JSON_PATCH, CONFIG_MAP, json(LIVE), body(r.patch()), null, false))
        .isInstanceOfSatisfying(
            PatchException.class,
            e -> {
              assertThat(e.code()).isEqualTo(r.code());
              assertThat(e.reason()).isEqualTo(r.reason());
              assertThat(e.getMessage()).contains(r.message());
              if (r.cause() != null) {
                assertThat(e.causes())
                    .singleElement()
                    .satisfies(x -> assertThat(x.message()).contains(r.cause()));
              }
            });
  }
}
