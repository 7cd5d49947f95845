package dev.flotilla.simulator.patch;

import static dev.flotilla.simulator.patch.Fixtures.ENGINE;
import static dev.flotilla.simulator.patch.Fixtures.POD;
import static dev.flotilla.simulator.patch.Fixtures.SERVICE;
import static dev.flotilla.simulator.patch.Fixtures.WIDGET;
import static dev.flotilla.simulator.patch.Fixtures.body;
import static dev.flotilla.simulator.patch.Fixtures.json;
import static dev.flotilla.simulator.patch.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every merge key of the table, every directive, and the refusals, on a Pod and a Service. */
class StrategicMergePatchTest {

  static final String POD_LIVE =
      """
      {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'app':'web','tier':'fe'},
       'finalizers':['a','b'],'ownerReferences':[{'apiVersion':'v1','kind':'X','name':'o1','uid':'u1'}]},
       'spec':{
        'containers':[
          {'name':'web','image':'nginx:1','args':['--a','--b'],'command':['run'],
           'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],
           'envFrom':[{'configMapRef':{'name':'c1'}}],
           'ports':[{'containerPort':80,'name':'http'},{'containerPort':9090,'name':'metrics'}],
           'volumeMounts':[{'name':'v','mountPath':'/a'}],
           'volumeDevices':[{'name':'d','devicePath':'/dev/x'}]},
          {'name':'sidecar','image':'busybox'}],
        'initContainers':[{'name':'init','image':'busybox'}],
        'ephemeralContainers':[{'name':'debug','image':'busybox'}],
        'volumes':[{'name':'v','emptyDir':{}}],
        'imagePullSecrets':[{'name':'s1'}],
        'hostAliases':[{'ip':'10.0.0.1','hostnames':['a']}],
        'tolerations':[{'key':'k1','operator':'Exists'}],
        'topologySpreadConstraints':[{'topologyKey':'zone','whenUnsatisfiable':'DoNotSchedule','maxSkew':1}]},
       'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Initialized','status':'True'}]}}
      """;

  static final String SERVICE_LIVE =
      "{'apiVersion':'v1','kind':'Service','metadata':{'name':'s'},'spec':{'ports':[{'port':80,'targetPort':8080,'name':'http'},{'port':443,'name':'https'}]}}";

  /**
   * A patch and what one place of the result must then be. With project set, the list at pointer is
   * compared as the list of that field of its elements.
   */
  record Case(
      String name,
      ResourceType type,
      String patch,
      String pointer,
      String project,
      String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case pod(String name, String patch, String pointer, String project, String expected) {
    return new Case(name, POD, patch, pointer, project, expected);
  }

  static Stream<Case> cases() {
    String c0 = "/spec/containers/0";
    return Stream.of(
        pod(
            "containers merge by name: only the image changes",
            "{'spec':{'containers':[{'name':'web','image':'nginx:2'}]}}",
            c0,
            null,
            "{'name':'web','image':'nginx:2','args':['--a','--b'],'command':['run'],'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],'envFrom':[{'configMapRef':{'name':'c1'}}],'ports':[{'containerPort':80,'name':'http'},{'containerPort':9090,'name':'metrics'}],'volumeMounts':[{'name':'v','mountPath':'/a'}],'volumeDevices':[{'name':'d','devicePath':'/dev/x'}]}"),
        pod(
            "a new container goes first without $setElementOrder, as the real server puts it",
            "{'spec':{'containers':[{'name':'new','image':'x'}]}}",
            "/spec/containers",
            "name",
            "['new','web','sidecar']"),
        pod(
            "$setElementOrder places the new container",
            "{'spec':{'$setElementOrder/containers':[{'name':'web'},{'name':'sidecar'},{'name':'new'}],'containers':[{'name':'new','image':'x'}]}}",
            "/spec/containers",
            "name",
            "['web','sidecar','new']"),
        pod(
            "$setElementOrder reorders without changing",
            "{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'web'}]}}",
            "/spec/containers",
            "name",
            "['sidecar','web']"),
        pod(
            "$patch: delete removes a container by name",
            "{'spec':{'containers':[{'name':'sidecar','$patch':'delete'}]}}",
            "/spec/containers",
            "name",
            "['web']"),
        pod(
            "$patch: replace replaces the whole list",
            "{'spec':{'containers':[{'name':'only','image':'i'},{'$patch':'replace'}]}}",
            "/spec/containers",
            "name",
            "['only']"),
        pod(
            "initContainers merge by name",
            "{'spec':{'initContainers':[{'name':'init','image':'alpine'}]}}",
            "/spec/initContainers",
            null,
            "[{'name':'init','image':'alpine'}]"),
        pod(
            "ephemeralContainers merge by name",
            "{'spec':{'ephemeralContainers':[{'name':'debug2','image':'x'}]}}",
            "/spec/ephemeralContainers",
            "name",
            "['debug2','debug']"),
        pod(
            "env merges by name",
            "{'spec':{'containers':[{'name':'web','env':[{'name':'A','value':'one'}]}]}}",
            c0 + "/env",
            null,
            "[{'name':'A','value':'one'},{'name':'B','value':'2'}]"),
        pod(
            "env: delete one, add one in order",
            "{'spec':{'containers':[{'name':'web','$setElementOrder/env':[{'name':'A'},{'name':'C'}],'env':[{'name':'C','value':'3'},{'name':'B','$patch':'delete'}]}]}}",
            c0 + "/env",
            "name",
            "['A','C']"),
        pod(
            "container ports merge by containerPort",
            "{'spec':{'containers':[{'name':'web','ports':[{'containerPort':9090,'$patch':'delete'}]}]}}",
            c0 + "/ports",
            "containerPort",
            "[80]"),
        pod(
            "volumeMounts merge by mountPath",
            "{'spec':{'containers':[{'name':'web','volumeMounts':[{'mountPath':'/a','readOnly':true}]}]}}",
            c0 + "/volumeMounts",
            null,
            "[{'name':'v','mountPath':'/a','readOnly':true}]"),
        pod(
            "volumeDevices merge by devicePath",
            "{'spec':{'containers':[{'name':'web','volumeDevices':[{'devicePath':'/dev/y','name':'e'}]}]}}",
            c0 + "/volumeDevices",
            "devicePath",
            "['/dev/y','/dev/x']"),
        pod(
            "args are atomic",
            "{'spec':{'containers':[{'name':'web','args':['--c']}]}}",
            c0 + "/args",
            null,
            "['--c']"),
        pod(
            "command is atomic",
            "{'spec':{'containers':[{'name':'web','command':['go']}]}}",
            c0 + "/command",
            null,
            "['go']"),
        pod(
            "envFrom is atomic",
            "{'spec':{'containers':[{'name':'web','envFrom':[{'secretRef':{'name':'s'}}]}]}}",
            c0 + "/envFrom",
            null,
            "[{'secretRef':{'name':'s'}}]"),
        pod(
            "volumes merge by name",
            "{'spec':{'volumes':[{'name':'w','emptyDir':{}}]}}",
            "/spec/volumes",
            "name",
            "['w','v']"),
        pod(
            "without $retainKeys a volume keeps its old source",
            "{'spec':{'volumes':[{'name':'v','configMap':{'name':'cm'}}]}}",
            "/spec/volumes/0",
            null,
            "{'name':'v','emptyDir':{},'configMap':{'name':'cm'}}"),
        pod(
            "$retainKeys clears the other keys",
            "{'spec':{'volumes':[{'name':'v','configMap':{'name':'cm'},'$retainKeys':['configMap','name']}]}}",
            "/spec/volumes/0",
            null,
            "{'name':'v','configMap':{'name':'cm'}}"),
        pod(
            "imagePullSecrets merge by name",
            "{'spec':{'imagePullSecrets':[{'name':'s2'}]}}",
            "/spec/imagePullSecrets",
            "name",
            "['s2','s1']"),
        pod(
            "hostAliases merge by ip",
            "{'spec':{'hostAliases':[{'ip':'10.0.0.1','hostnames':['b']}]}}",
            "/spec/hostAliases",
            null,
            "[{'ip':'10.0.0.1','hostnames':['b']}]"),
        pod(
            "topologySpreadConstraints merge by topologyKey",
            "{'spec':{'topologySpreadConstraints':[{'topologyKey':'zone','maxSkew':2}]}}",
            "/spec/topologySpreadConstraints",
            null,
            "[{'topologyKey':'zone','whenUnsatisfiable':'DoNotSchedule','maxSkew':2}]"),
        pod(
            "tolerations are atomic",
            "{'spec':{'tolerations':[{'key':'k2','operator':'Exists'}]}}",
            "/spec/tolerations",
            null,
            "[{'key':'k2','operator':'Exists'}]"),
        pod(
            "ownerReferences merge by uid",
            "{'metadata':{'ownerReferences':[{'apiVersion':'v1','kind':'Y','name':'o2','uid':'u2'}]}}",
            "/metadata/ownerReferences",
            "uid",
            "['u2','u1']"),
        pod(
            "conditions merge by type",
            "{'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
            "/status/conditions",
            null,
            "[{'type':'Ready','status':'True'},{'type':'Initialized','status':'True'}]"),
        pod(
            "finalizers merge as a set",
            "{'metadata':{'finalizers':['c','a']}}",
            "/metadata/finalizers",
            null,
            "['c','a','b']"),
        pod(
            "$deleteFromPrimitiveList removes from a set",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}}",
            "/metadata/finalizers",
            null,
            "['b']"),
        pod(
            "$setElementOrder orders a set",
            "{'metadata':{'$setElementOrder/finalizers':['b','a']}}",
            "/metadata/finalizers",
            null,
            "['b','a']"),
        pod(
            "null deletes a key",
            "{'metadata':{'labels':{'tier':null}}}",
            "/metadata/labels",
            null,
            "{'app':'web'}"),
        pod(
            "$patch: replace replaces a map",
            "{'metadata':{'labels':{'$patch':'replace','x':'1'}}}",
            "/metadata/labels",
            null,
            "{'x':'1'}"),
        pod(
            "$patch: delete empties a map",
            "{'metadata':{'labels':{'$patch':'delete'}}}",
            "/metadata/labels",
            null,
            "{}"),
        pod(
            "a new list takes the patch without its directives",
            "{'spec':{'readinessGates':[{'conditionType':'x'}],'containers':[{'name':'web','resizePolicy':[{'resourceName':'cpu','restartPolicy':'NotRequired'}]}]}}",
            "/spec/readinessGates",
            null,
            "[{'conditionType':'x'}]"),
        new Case(
            "Service ports merge by port",
            SERVICE,
            "{'spec':{'ports':[{'port':80,'targetPort':9000}]}}",
            "/spec/ports",
            null,
            "[{'port':80,'targetPort':9000,'name':'http'},{'port':443,'name':'https'}]"),
        new Case(
            "Service port deleted by port",
            SERVICE,
            "{'spec':{'ports':[{'port':443,'$patch':'delete'}]}}",
            "/spec/ports",
            "port",
            "[80]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void merges(Case c) {
    ObjectNode live = json(c.type() == POD ? POD_LIVE : SERVICE_LIVE);
    ObjectNode before = live.deepCopy();
    ObjectNode result =
        ENGINE.apply(
            PatchEngine.STRATEGIC_MERGE_PATCH, c.type(), live, body(c.patch()), null, false);

    JsonNode at = result.at(c.pointer());
    if (c.project() != null) {
      ArrayNode projected = Fixtures.MAPPER.createArrayNode();
      at.forEach(e -> projected.add(e.get(c.project())));
      at = projected;
    }
    assertThat(at).isEqualTo(tree(c.expected().replace('\'', '"')));
    assertThat(live).as("the input is not modified").isEqualTo(before);
  }

  @Test
  void nullDeletesAKeyAndAbsentKeysStay() {
    ObjectNode result =
        ENGINE.apply(
            PatchEngine.STRATEGIC_MERGE_PATCH,
            POD,
            json(POD_LIVE),
            body("{'metadata':{'finalizers':null,'nothing':null}}"),
            null,
            false);

    assertThat(result.at("/metadata").has("finalizers")).isFalse();
    assertThat(result.at("/metadata").has("nothing")).isFalse();
    assertThat(result.at("/metadata/name").asText()).isEqualTo("p");
  }

  @Test
  void deploymentStrategySwitchesWithRetainKeysAsKubectlApplySendsIt() {
    ObjectNode live =
        json(
            "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");

    ObjectNode result =
        ENGINE.apply(
            PatchEngine.STRATEGIC_MERGE_PATCH,
            Fixtures.DEPLOYMENT,
            live,
            body(
                "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':null,'type':'Recreate'}}}"),
            null,
            false);

    assertThat(result.at("/spec/strategy")).isEqualTo(json("{'type':'Recreate'}"));
  }

  @Test
  void aCronJobsContainersMergeByNameUnderItsJobTemplate() {
    ResourceType cronJob =
        new ResourceType(
            "batch",
            "v1",
            "CronJob",
            "cronjobs",
            "cronjob",
            java.util.List.of("cj"),
            true,
            java.util.List.of("status"));
    ObjectNode live =
        json(
            "{'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'c'},'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]}}}}}}");

    ObjectNode result =
        ENGINE.apply(
            PatchEngine.STRATEGIC_MERGE_PATCH,
            cronJob,
            live,
            body(
                "{'spec':{'jobTemplate':{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'z'}]}}}}}}"),
            null,
            false);

    assertThat(result.at("/spec/jobTemplate/spec/template/spec/containers"))
        .isEqualTo(json("{'x':[{'name':'a','image':'x'},{'name':'b','image':'z'}]}").get("x"));
  }

  @Test
  void anEmptyListDoesNotClearAMergedList() {
    ObjectNode result =
        ENGINE.apply(
            PatchEngine.STRATEGIC_MERGE_PATCH,
            POD,
            json(POD_LIVE),
            body("{'spec':{'containers':[]}}"),
            null,
            false);

    assertThat(result.at("/spec/containers")).hasSize(2);
  }

  record Refusal(String name, ResourceType type, String patch, int code, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refusal> refusals() {
    return Stream.of(
        new Refusal(
            "a custom resource, as apiextensions-apiserver answers",
            WIDGET,
            "{'spec':{}}",
            415,
            "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"),
        new Refusal(
            "$patch: merge in a list is refused as the real code refuses it",
            POD,
            "{'spec':{'containers':[{'$patch':'merge'}]}}",
            400,
            "merging lists cannot yet be specified in the patch"),
        new Refusal(
            "$patch: merge in a map",
            POD,
            "{'metadata':{'labels':{'$patch':'merge'}}}",
            400,
            "unknown patch type: merge in map: {\"$patch\":\"merge\"}"),
        new Refusal(
            "an unknown $patch in a list element",
            POD,
            "{'spec':{'containers':[{'name':'web','$patch':'bogus'}]}}",
            400,
            "unknown patch type: bogus in map"),
        new Refusal(
            "a list element without its merge key",
            POD,
            "{'spec':{'containers':[{'image':'x'}]}}",
            400,
            "map: {\"image\":\"x\"} does not contain declared merge key: name"),
        new Refusal(
            "$patch: delete without the merge key",
            POD,
            "{'spec':{'containers':[{'$patch':'delete'}]}}",
            400,
            "does not contain declared merge key: name"),
        new Refusal(
            "a key outside $retainKeys",
            POD,
            "{'spec':{'volumes':[{'name':'v','secret':{},'$retainKeys':['name']}]}}",
            400,
            "invalid patch format of retainKeys"),
        new Refusal(
            "$retainKeys not a list",
            POD,
            "{'metadata':{'$retainKeys':'name'}}",
            400,
            "invalid patch format of retainKeys"),
        new Refusal(
            "$setElementOrder not a list",
            POD,
            "{'spec':{'$setElementOrder/containers':{'name':'web'}}}",
            400,
            "invalid patch format of setElementOrder list"),
        new Refusal(
            "a patch list out of $setElementOrder's order",
            POD,
            "{'spec':{'$setElementOrder/containers':[{'name':'web'},{'name':'sidecar'}],'containers':[{'name':'sidecar'},{'name':'web'}]}}",
            400,
            "doesn't match $setElementOrder list"),
        new Refusal(
            "$deleteFromPrimitiveList not a list",
            POD,
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}",
            400,
            "invalid patch format of primitive list"),
        new Refusal(
            "lists of lists",
            POD,
            "{'metadata':{'finalizers':[['x']]}}",
            422,
            "the server rejected our request due to an error in our request"),
        new Refusal(
            "mixed element types",
            POD,
            "{'metadata':{'finalizers':[{'x':1}]}}",
            400,
            "list element types are not identical"),
        new Refusal(
            "not an object",
            POD,
            "[1]",
            400,
            "json: cannot unmarshal array into a strategic merge patch"),
        new Refusal(
            "malformed JSON names the byte",
            POD,
            "{'spec':{'containers':[{'name':'web',]}}",
            400,
            "(byte 37, line 1, column 38)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(Refusal r) {
    ObjectNode live =
        r.type() == WIDGET
            ? json("{'apiVersion':'example.com/v1','kind':'Widget','metadata':{'name':'w'}}")
            : json(POD_LIVE);
    assertThatThrownBy(
            () ->
                ENGINE.apply(
                    PatchEngine.STRATEGIC_MERGE_PATCH,
                    r.type(),
                    live,
                    body(r.patch()),
                    null,
                    false))
        .isInstanceOfSatisfying(
            PatchException.class,
            e -> {
              assertThat(e.code()).isEqualTo(r.code());
              assertThat(e.getMessage()).contains(r.message());
            });
  }
}
