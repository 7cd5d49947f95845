package dev.flotilla.agent.reconcile.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ThreeWayMergeTest {

  static final ObjectMapper JSON = new ObjectMapper();

  record Case(String name, String desired, String lastApplied, String live, String expectedPatch) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("equal objects need nothing", "{'a':1}", "{'a':1}", "{'a':1}", "[]"),
        new Case(
            "changed scalar is replaced",
            "{'a':2}",
            "{'a':1}",
            "{'a':1}",
            "[{'op':'replace','path':'/a','value':2}]"),
        new Case(
            "missing field is added",
            "{'a':1,'b':{'c':1}}",
            null,
            "{'a':1}",
            "[{'op':'add','path':'/b','value':{'c':1}}]"),
        new Case("field set by others is kept", "{'a':1}", "{'a':1}", "{'a':1,'theirs':2}", "[]"),
        new Case(
            "field we dropped is removed",
            "{'a':1}",
            "{'a':1,'b':2}",
            "{'a':1,'b':2}",
            "[{'op':'remove','path':'/b'}]"),
        new Case("dropped field already gone is fine", "{'a':1}", "{'a':1,'b':2}", "{'a':1}", "[]"),
        new Case("without last-applied nothing is removed", "{'a':1}", null, "{'a':1,'b':2}", "[]"),
        new Case(
            "nested removal",
            "{'m':{'x':1}}",
            "{'m':{'x':1,'y':2}}",
            "{'m':{'x':1,'y':2,'z':3}}",
            "[{'op':'remove','path':'/m/y'}]"),
        new Case(
            "pointer tokens are escaped",
            "{'m':{'a/b~c':'v'}}",
            null,
            "{'m':{}}",
            "[{'op':'add','path':'/m/a~1b~0c','value':'v'}]"),
        new Case("int and long are the same number", "{'r':3}", null, "{'r':3.0}", "[]"),
        new Case(
            "number written as string by the server",
            "{'x':{'resources':{'cpu':1}}}",
            null,
            "{'x':{'resources':{'cpu':'1'}}}",
            "[]"),
        new Case(
            "quantities in resources compare by value",
            "{'x':{'resources':{'cpu':0.5,'memory':'1Gi'}}}",
            null,
            "{'x':{'resources':{'cpu':'500m','memory':'1073741824'}}}",
            "[]"),
        new Case(
            "same-size lists merge element-wise, keeping defaults",
            "{'c':[{'name':'a','image':'x:2'}]}",
            null,
            "{'c':[{'name':'a','image':'x:1','imagePullPolicy':'IfNotPresent'}]}",
            "[{'op':'replace','path':'/c/0/image','value':'x:2'}]"),
        new Case(
            "resized lists are replaced whole",
            "{'l':[1,2,3]}",
            "{'l':[1,2]}",
            "{'l':[1,2]}",
            "[{'op':'replace','path':'/l','value':[1,2,3]}]"),
        new Case("empty desired map is not drift", "{'a':{}}", null, "{}", "[]"),
        new Case("explicit null means unset", "{'a':null}", null, "{'a':5}", "[]"),
        new Case(
            "type change is replaced",
            "{'a':{'b':1}}",
            null,
            "{'a':'s'}",
            "[{'op':'replace','path':'/a','value':{'b':1}}]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void computesTheMinimalPatch(Case c) throws Exception {
    List<ThreeWayMerge.Operation> ops =
        ThreeWayMerge.operations(
            json(c.desired()),
            c.lastApplied() == null ? null : json(c.lastApplied()),
            json(c.live()));

    assertThat(ThreeWayMerge.toPatch(ops)).isEqualTo(json(c.expectedPatch()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applyingThePatchLeavesNothingToDo(Case c) throws Exception {
    JsonNode live = json(c.live());
    JsonNode last = c.lastApplied() == null ? null : json(c.lastApplied());
    JsonNode patched =
        io.fabric8.zjsonpatch.JsonPatch.apply(
            ThreeWayMerge.toPatch(ThreeWayMerge.operations(json(c.desired()), last, live)), live);

    assertThat(ThreeWayMerge.operations(json(c.desired()), json(c.desired()), patched)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void ignoredPointersDropOperationsOnAndBelowThem() {
    List<ThreeWayMerge.Operation> ops =
        List.of(
            new ThreeWayMerge.Operation("replace", "/spec/replicas", null),
            new ThreeWayMerge.Operation("replace", "/spec/replicasX", null),
            new ThreeWayMerge.Operation("replace", "/data/a/b", null));

    assertThat(ThreeWayMerge.without(ops, List.of("/spec/replicas", "/data/a")))
        .extracting(ThreeWayMerge.Operation::path)
        .containsExactly("/spec/replicasX");
  }

  static JsonNode json(String relaxed) throws Exception {
    return JSON.readTree(relaxed.replace('\'', '"'));
  }
}
