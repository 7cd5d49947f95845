package dev.flotilla.simulator.patch;

import static dev.flotilla.simulator.patch.Fixtures.DEPLOYMENT;
import static dev.flotilla.simulator.patch.Fixtures.ENGINE;
import static dev.flotilla.simulator.patch.Fixtures.WIDGET;
import static dev.flotilla.simulator.patch.Fixtures.body;
import static dev.flotilla.simulator.patch.Fixtures.json;
import static dev.flotilla.simulator.patch.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServerSideApplyTest {

  static final String WEB =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        namespace: default
        labels: {app: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx:1.25
              env: [{name: A, value: "1"}]
      """;

  static ObjectNode apply(ObjectNode live, String yaml, String manager, boolean force) {
    return ENGINE.apply(
        PatchEngine.APPLY_PATCH,
        DEPLOYMENT,
        live,
        yaml.getBytes(StandardCharsets.UTF_8),
        manager,
        force);
  }

  static ObjectNode apply(ResourceType type, ObjectNode live, String yaml, String manager) {
    return ENGINE.apply(
        PatchEngine.APPLY_PATCH, type, live, yaml.getBytes(StandardCharsets.UTF_8), manager, false);
  }

  static JsonNode fieldsOf(ObjectNode object, String manager, String operation) {
    for (JsonNode e : object.at("/metadata/managedFields")) {
      if (e.get("manager").asText().equals(manager)
          && e.get("operation").asText().equals(operation)) {
        return e.get("fieldsV1");
      }
    }
    return null;
  }

  @Test
  void createsAnAbsentObjectAndRecordsTheAppliedFieldsInFieldsV1() {
    ObjectNode created = apply(null, WEB, "flotilla", false);

    assertThat(created.at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("nginx:1.25");
    assertThat(created.at("/metadata/name").asText()).isEqualTo("web");
    assertThat(created.at("/metadata/managedFields")).hasSize(1);
    JsonNode entry = created.at("/metadata/managedFields/0");
    assertThat(entry.get("manager").asText()).isEqualTo("flotilla");
    assertThat(entry.get("operation").asText()).isEqualTo("Apply");
    assertThat(entry.get("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(entry.get("time").asText()).isEqualTo("2026-12-05T10:00:00Z");
    assertThat(entry.get("fieldsType").asText()).isEqualTo("FieldsV1");
    assertThat(entry.get("fieldsV1"))
        .isEqualTo(
            json(
                "{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:replicas':{},'f:selector':{},"
                    + "'f:template':{'f:metadata':{'f:labels':{'f:app':{}}},'f:spec':{'f:containers':{'k:{\\'name\\':\\'web\\'}':{'.':{},"
                    + "'f:env':{'k:{\\'name\\':\\'A\\'}':{'.':{},'f:name':{},'f:value':{}}},'f:image':{},'f:name':{}}}}}}}"
                        .replace("\\'", "\\\"")));
  }

  @Test
  void aFieldTheManagerNoLongerAppliesIsRemoved() {
    ObjectNode live = apply(null, WEB, "flotilla", false);

    ObjectNode result =
        apply(
            live,
            WEB.replace("  replicas: 2\n", "")
                .replace("        env: [{name: A, value: \"1\"}]\n", ""),
            "flotilla",
            false);

    assertThat(result.at("/spec").has("replicas")).isFalse();
    assertThat(result.at("/spec/template/spec/containers/0").has("env"))
        .as("a list left empty is dropped, as Go's omitempty drops it")
        .isFalse();
    assertThat(result.at("/spec/template/spec/containers/0/image").asText())
        .isEqualTo("nginx:1.25");
    assertThat(fieldsOf(result, "flotilla", "Apply").at("/f:spec").has("f:replicas")).isFalse();
  }

  @Test
  void aFieldAnotherManagerAlsoAppliedStaysWhenOneManagerDropsIt() {
    ObjectNode live = apply(null, WEB, "flotilla", false);
    live =
        apply(
            live,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 2}\n",
            "hpa",
            false);

    ObjectNode result = apply(live, WEB.replace("  replicas: 2\n", ""), "flotilla", false);

    assertThat(result.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(fieldsOf(result, "hpa", "Apply")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
  }

  @Test
  void anElementAnotherManagerAddedToAKeyedListStays() {
    ObjectNode live = apply(null, WEB, "flotilla", false);
    live =
        apply(
            live,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        env: [{name: SIDE, value: car}]\n",
            "injector",
            false);

    ObjectNode result = apply(live, WEB, "flotilla", false);

    List<String> names = new ArrayList<>();
    result
        .at("/spec/template/spec/containers/0/env")
        .forEach(e -> names.add(e.get("name").asText()));
    assertThat(names).containsExactly("A", "SIDE");
  }

  @Test
  void aDifferentValueForAnotherManagersFieldIsAConflictNamingFieldAndManager() {
    ObjectNode live = apply(null, WEB, "flotilla", false);

    assertThatThrownBy(() -> apply(live, WEB.replace("replicas: 2", "replicas: 5"), "other", false))
        .isInstanceOfSatisfying(
            PatchException.class,
            e -> {
              assertThat(e.code()).isEqualTo(409);
              assertThat(e.reason()).isEqualTo("Conflict");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "Apply failed with 1 conflict: conflict with \"flotilla\": .spec.replicas");
              assertThat(e.causes())
                  .containsExactly(
                      new PatchException.Cause(
                          "FieldManagerConflict", "conflict with \"flotilla\"", ".spec.replicas"));
            });
  }

  @Test
  void severalConflictsAreListedPerManager() {
    ObjectNode live = apply(null, WEB, "flotilla", false);

    assertThatThrownBy(
            () ->
                apply(
                    live,
                    WEB.replace("replicas: 2", "replicas: 5").replace("nginx:1.25", "nginx:1.27"),
                    "other",
                    false))
        .isInstanceOfSatisfying(
            PatchException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "Apply failed with 2 conflicts: conflicts with \"flotilla\":\n- .spec.replicas\n"
                            + "- .spec.template.spec.containers[name=\"web\"].image"));
  }

  @Test
  void forceTakesTheFieldOver() {
    ObjectNode live = apply(null, WEB, "flotilla", false);

    ObjectNode result = apply(live, WEB.replace("replicas: 2", "replicas: 5"), "other", true);

    assertThat(result.at("/spec/replicas").asInt()).isEqualTo(5);
    assertThat(fieldsOf(result, "flotilla", "Apply").at("/f:spec").has("f:replicas")).isFalse();
    assertThat(fieldsOf(result, "other", "Apply").at("/f:spec").has("f:replicas")).isTrue();
  }

  @Test
  void theSameValueIsSharedNotAConflict() {
    ObjectNode live = apply(null, WEB, "flotilla", false);

    ObjectNode result = apply(live, WEB, "other", false);

    assertThat(fieldsOf(result, "flotilla", "Apply")).isEqualTo(fieldsOf(result, "other", "Apply"));
  }

  @Test
  void aFieldChangedByKubectlEditConflictsWithTheNextApply() {
    ObjectNode live = apply(null, WEB, "flotilla", false);
    ObjectNode edited =
        ENGINE.apply(
            PatchEngine.STRATEGIC_MERGE_PATCH,
            DEPLOYMENT,
            live,
            body("{'spec':{'replicas':3}}"),
            "kubectl-edit",
            false);
    assertThat(fieldsOf(edited, "kubectl-edit", "Update"))
        .isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
    assertThat(fieldsOf(edited, "flotilla", "Apply").at("/f:spec").has("f:replicas")).isFalse();

    assertThatThrownBy(() -> apply(edited, WEB, "flotilla", false))
        .isInstanceOfSatisfying(
            PatchException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas"));
    assertThat(apply(edited, WEB, "flotilla", true).at("/spec/replicas").asInt()).isEqualTo(2);
  }

  @Test
  void kubectlApplyServerSideOnAClientSideAppliedObjectConflictsAsOnARealCluster() {
    ObjectNode live = Fixtures.deployment();
    live = ENGINE.recordUpdate(DEPLOYMENT, null, live, "kubectl-client-side-apply");
    JsonNode request = resource("/kubectl-1.32/apply-server-side.json");
    byte[] sent = request.get("body").asText().getBytes(StandardCharsets.UTF_8);
    ObjectNode csa = live;

    assertThatThrownBy(
            () ->
                ENGINE.apply(
                    PatchEngine.APPLY_PATCH,
                    DEPLOYMENT,
                    csa,
                    sent,
                    request.get("fieldManager").asText(),
                    false))
        .isInstanceOfSatisfying(
            PatchException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas"));

    ObjectNode forced =
        ENGINE.apply(PatchEngine.APPLY_PATCH, DEPLOYMENT, csa, sent, "kubectl", true);
    JsonNode migration = resource("/kubectl-1.32/apply-server-side-last-applied.json");
    ObjectNode result =
        ENGINE.apply(
            PatchEngine.APPLY_PATCH,
            DEPLOYMENT,
            forced,
            migration.get("body").asText().getBytes(StandardCharsets.UTF_8),
            migration.get("fieldManager").asText(),
            false);
    assertThat(result.at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(fieldsOf(result, "kubectl-last-applied", "Apply"))
        .isEqualTo(
            json(
                "{'f:metadata':{'f:annotations':{'f:kubectl.kubernetes.io/last-applied-configuration':{}}}}"));
  }

  @Test
  void aLabelSelectorIsAtomicOwnedAndReplacedAsAWhole() {
    // created by an ordinary write (an Update manager) with a wider selector
    ObjectNode created =
        apply(
            null,
            WEB.replace("{matchLabels: {app: web}}", "{matchLabels: {app: web, tier: fe}}"),
            "x",
            false);
    ((ObjectNode) created.get("metadata")).remove("managedFields");
    ObjectNode live = ENGINE.recordUpdate(DEPLOYMENT, null, created, "creator");

    assertThatThrownBy(() -> apply(live, WEB, "flotilla", false))
        .isInstanceOfSatisfying(
            PatchException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "Apply failed with 1 conflict: conflict with \"creator\" using apps/v1: .spec.selector"));
    ObjectNode result = apply(live, WEB, "flotilla", true);
    assertThat(result.at("/spec/selector")).isEqualTo(json("{'matchLabels':{'app':'web'}}"));
  }

  @Test
  void statusIsIgnoredForATypeWithAStatusSubresource() {
    ObjectNode result = apply(null, WEB + "status: {replicas: 7}\n", "flotilla", false);

    assertThat(result.has("status")).isFalse();
  }

  @Test
  void aCustomResourcesListsAreReplacedAsAWhole() {
    String widget =
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  items: [{name: a}, {name: b}]\n";
    ObjectNode live = apply(WIDGET, null, widget, "flotilla");

    ObjectNode result =
        apply(WIDGET, live, widget.replace("[{name: a}, {name: b}]", "[{name: c}]"), "flotilla");

    assertThat(result.at("/spec/items")).isEqualTo(json("{'x':[{'name':'c'}]}").get("x"));
    assertThat(fieldsOf(result, "flotilla", "Apply")).isEqualTo(json("{'f:spec':{'f:items':{}}}"));
  }

  record Refusal(
      String name, String config, String manager, int code, String reason, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refusal> refusals() {
    StringBuilder bomb =
        new StringBuilder(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\na: &a [x, x]\n");
    for (int i = 0; i < 60; i++) {
      bomb.append("b").append(i).append(": *a\n");
    }
    return Stream.of(
        new Refusal(
            "no field manager, as kube-apiserver validates PatchOptions",
            WEB,
            null,
            422,
            "Invalid",
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"),
        new Refusal(
            "a field manager over 128 bytes",
            WEB,
            "m".repeat(129),
            422,
            "Invalid",
            "fieldManager: Too long"),
        new Refusal(
            "another API version",
            WEB.replace("apps/v1", "apps/v1beta1"),
            "flotilla",
            400,
            "BadRequest",
            "Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1"),
        new Refusal(
            "another kind",
            WEB.replace("kind: Deployment", "kind: StatefulSet"),
            "flotilla",
            400,
            "BadRequest",
            "the kind in the apply configuration (StatefulSet) does not match the resource's kind (Deployment)"),
        new Refusal(
            "managedFields in the configuration",
            WEB.replace("  namespace: default\n", "  managedFields: [{manager: x}]\n"),
            "flotilla",
            400,
            "BadRequest",
            "metadata.managedFields must be nil"),
        new Refusal(
            "another name than the live object's",
            WEB.replace("name: web\n  namespace", "name: api\n  namespace"),
            "flotilla",
            400,
            "BadRequest",
            "the name of the object (api) does not match the name on the URL (web)"),
        new Refusal(
            "malformed YAML names the line",
            "apiVersion: apps/v1\nkind: [Deployment\n",
            "flotilla",
            400,
            "BadRequest",
            "error decoding YAML: "),
        new Refusal(
            "a list is not an object",
            "- a\n- b\n",
            "flotilla",
            400,
            "BadRequest",
            "error decoding YAML: cannot unmarshal array"),
        new Refusal(
            "an alias, which Jackson would read as a string",
            bomb.toString(),
            "flotilla",
            400,
            "BadRequest",
            "error decoding YAML: the alias *a (line 5, column 5) is not supported by the SIMULATED API server"),
        new Refusal(
            "a duplicate key",
            WEB + "kind: Deployment\n",
            "flotilla",
            400,
            "BadRequest",
            "Duplicate field 'kind'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(Refusal r) {
    ObjectNode live = apply(null, WEB, "flotilla", false);

    assertThatThrownBy(() -> apply(live, r.config(), r.manager(), false))
        .isInstanceOfSatisfying(
            PatchException.class,
            e -> {
              assertThat(e.code()).isEqualTo(r.code());
              assertThat(e.reason()).isEqualTo(r.reason());
              assertThat(e.getMessage()).contains(r.message());
            });
  }
}
