package dev.flotilla.simulator.patch;

import static dev.flotilla.simulator.patch.Fixtures.DEPLOYMENT;
import static dev.flotilla.simulator.patch.Fixtures.ENGINE;
import static dev.flotilla.simulator.patch.Fixtures.deployment;
import static dev.flotilla.simulator.patch.Fixtures.resource;
import static dev.flotilla.simulator.patch.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bodies kubectl v1.32.4 really sends, captured from /usr/bin/kubectl against a small HTTP
 * server serving discovery and the Deployment in {@code kubectl-1.32/live-deployment.json} ({@code
 * --validate=false} because that server serves no OpenAPI; kubectl then computes the same patches
 * from its compiled-in types). With default flags kubectl sends the same bodies plus {@code
 * fieldValidation=Strict}, once /openapi/v3 lists the group version and its document declares the
 * {@code fieldValidation} parameter on the kind's PATCH (tried with apply and edit). Each fixture
 * names its command. The result must be the live object with exactly the listed changes (JSON Patch
 * operations), nothing else touched.
 */
class KubectlPatchesTest {

  private static final String USER_AGENT = "kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd";

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  record Case(String fixture, String changes) {
    @Override
    public String toString() {
      return fixture;
    }
  }

  static Stream<Case> cases() {
    String c0 = "/spec/template/spec/containers/0";
    return Stream.of(
        new Case(
            "apply-image", "[{'op':'replace','path':'" + c0 + "/image','value':'nginx:1.27'}]"),
        new Case(
            "apply-env-add",
            "[{'op':'add','path':'" + c0 + "/env/-','value':{'name':'BAZ','value':'3'}}]"),
        new Case("apply-env-remove", "[{'op':'remove','path':'" + c0 + "/env/1'}]"),
        new Case("apply-port-remove", "[{'op':'remove','path':'" + c0 + "/ports/1'}]"),
        new Case("apply-replicas", "[{'op':'replace','path':'/spec/replicas','value':4}]"),
        new Case(
            "edit",
            "[{'op':'replace','path':'/spec/replicas','value':3},{'op':'replace','path':'"
                + c0
                + "/image','value':'nginx:1.26'},{'op':'replace','path':'/status/replicas','value':3}]"),
        new Case("set-image", "[{'op':'replace','path':'" + c0 + "/image','value':'nginx:1.27'}]"),
        new Case(
            "rollout-restart",
            "[{'op':'add','path':'/spec/template/metadata/annotations','value':{'kubectl.kubernetes.io/restartedAt':'2026-12-05T09:44:47Z'}}]"),
        new Case("label", "[{'op':'add','path':'/metadata/labels/tier','value':'frontend'}]"),
        new Case("label-remove", "[{'op':'remove','path':'/metadata/labels/app'}]"),
        new Case(
            "annotate", "[{'op':'add','path':'/metadata/annotations/team','value':'payments'}]"),
        // kubectl scale patches the scale subresource; the API server maps spec.replicas across
        new Case("scale", "[{'op':'replace','path':'/spec/replicas','value':5}]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void appliesWhatKubectlSends(Case c) {
    JsonNode fixture = resource("/kubectl-1.32/" + c.fixture() + ".json");
    byte[] body = fixture.get("body").asText().getBytes(StandardCharsets.UTF_8);
    ObjectNode live = deployment();
    // what the API server records when kubectl sends no fieldManager (kubectl scale)
    String manager =
        PatchEngine.managerOrUserAgent(fixture.get("fieldManager").asText(null), USER_AGENT);

    ObjectNode result =
        ENGINE.apply(fixture.get("contentType").asText(), DEPLOYMENT, live, body, manager, false);

    ArrayNode changes = (ArrayNode) tree(c.changes().replace('\'', '"'));
    JsonNode sentLastApplied =
        tree(fixture.get("body").asText()).at("/metadata/annotations").get(LAST_APPLIED);
    if (sentLastApplied != null) {
      changes
          .addObject()
          .put("op", "replace")
          .put("path", "/metadata/annotations/" + LAST_APPLIED.replace("/", "~1"))
          .set("value", sentLastApplied);
    }
    JsonNode expected = JsonPatch.apply(changes, deployment());
    ObjectNode withoutManagedFields = result.deepCopy();
    ((ObjectNode) withoutManagedFields.get("metadata")).remove("managedFields");
    assertThat(withoutManagedFields).isEqualTo(expected);
    assertThat(live).as("the input is not modified").isEqualTo(deployment());
    if (c.fixture().equals("label-remove")) {
      assertThat(result.at("/metadata").has("managedFields"))
          .as("a removal owns nothing")
          .isFalse();
      return;
    }
    assertThat(result.at("/metadata/managedFields/0/manager").asText())
        .as("the write is recorded under kubectl's field manager")
        .isEqualTo(
            fixture.get("fieldManager").isNull()
                ? "kubectl"
                : fixture.get("fieldManager").asText());
  }
}
