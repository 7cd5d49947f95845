package dev.flotilla.simulator.patch;

import static dev.flotilla.simulator.patch.Fixtures.DEPLOYMENT;
import static dev.flotilla.simulator.patch.Fixtures.ENGINE;
import static dev.flotilla.simulator.patch.Fixtures.WIDGET;
import static dev.flotilla.simulator.patch.Fixtures.body;
import static dev.flotilla.simulator.patch.Fixtures.deployment;
import static dev.flotilla.simulator.patch.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The entry point: content types, PatchOptions rules, and managedFields for ordinary writes. */
class PatchEngineTest {

  @Test
  void aCharsetParameterIsIgnored() {
    ObjectNode result =
        ENGINE.apply(
            "application/merge-patch+json; charset=utf-8",
            DEPLOYMENT,
            deployment(),
            body("{'spec':{'replicas':9}}"),
            "m",
            false);

    assertThat(result.at("/spec/replicas").asInt()).isEqualTo(9);
  }

  @Test
  void anUnknownContentTypeIs415ListingWhatTheTypeAccepts() {
    assertThatThrownBy(
            () ->
                ENGINE.apply("application/json", DEPLOYMENT, deployment(), body("{}"), "m", false))
        .isInstanceOfSatisfying(
            PatchException.class,
            e -> {
              assertThat(e.code()).isEqualTo(415);
              assertThat(e.reason()).isEqualTo("UnsupportedMediaType");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json,"
                          + " application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml");
            });
    assertThat(ENGINE.patchTypes(WIDGET)).doesNotContain(PatchEngine.STRATEGIC_MERGE_PATCH);
  }

  @Test
  void forceOnAnythingButApplyIs422AsPatchOptionsValidationAnswers() {
    assertThatThrownBy(
            () ->
                ENGINE.apply(
                    PatchEngine.MERGE_PATCH, DEPLOYMENT, deployment(), body("{}"), "m", true))
        .isInstanceOfSatisfying(
            PatchException.class,
            e -> {
              assertThat(e.code()).isEqualTo(422);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch");
            });
  }

  @Test
  void onlyApplyCreates() {
    assertThatThrownBy(
            () -> ENGINE.apply(PatchEngine.MERGE_PATCH, DEPLOYMENT, null, body("{}"), "m", false))
        .isInstanceOfSatisfying(PatchException.class, e -> assertThat(e.code()).isEqualTo(404));
  }

  @Test
  void aPatchGivesTheFieldsItChangedToItsManager() {
    ObjectNode created =
        ENGINE.recordUpdate(DEPLOYMENT, null, deployment(), "kubectl-client-side-apply");
    JsonNode all = created.at("/metadata/managedFields/0");
    assertThat(all.get("operation").asText()).isEqualTo("Update");
    assertThat(all.at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
    assertThat(all.at("/fieldsV1").has("f:status"))
        .as("status belongs to the status subresource")
        .isFalse();
    assertThat(all.at("/fieldsV1/f:metadata").has("f:name"))
        .as("the server's own fields are nobody's")
        .isFalse();

    ObjectNode scaled =
        ENGINE.apply(
            PatchEngine.MERGE_PATCH,
            DEPLOYMENT,
            created,
            body("{'spec':{'replicas':5}}"),
            "kubectl",
            false);

    assertThat(scaled.at("/metadata/managedFields")).hasSize(2);
    assertThat(scaled.at("/metadata/managedFields/0/fieldsV1/f:spec").has("f:replicas")).isFalse();
    assertThat(scaled.at("/metadata/managedFields/1/manager").asText()).isEqualTo("kubectl");
    assertThat(scaled.at("/metadata/managedFields/1/fieldsV1"))
        .isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
    assertThat(scaled.at("/metadata/managedFields/1/time").asText())
        .isEqualTo("2026-12-05T10:00:00Z");
  }

  @Test
  void aPatchThatChangesNothingRecordsNothing() {
    ObjectNode created = ENGINE.recordUpdate(DEPLOYMENT, null, deployment(), "creator");

    ObjectNode same =
        ENGINE.apply(
            PatchEngine.MERGE_PATCH,
            DEPLOYMENT,
            created,
            body("{'spec':{'replicas':2}}"),
            "other",
            false);

    assertThat(same.at("/metadata/managedFields")).hasSize(1);
  }

  @Test
  void aRemovedFieldLeavesEveryManagersSet() {
    ObjectNode created = ENGINE.recordUpdate(DEPLOYMENT, null, deployment(), "creator");

    ObjectNode unlabelled =
        ENGINE.apply(
            PatchEngine.MERGE_PATCH,
            DEPLOYMENT,
            created,
            body("{'metadata':{'labels':{'app':null}}}"),
            "kubectl-label",
            false);

    assertThat(unlabelled.at("/metadata/managedFields/0/fieldsV1/f:metadata").has("f:labels"))
        .isFalse();
    assertThat(unlabelled.at("/metadata/managedFields")).hasSize(1);
  }

  @Test
  void settingManagedFieldsToASingleEmptyEntryResetsThem() {
    ObjectNode created = ENGINE.recordUpdate(DEPLOYMENT, null, deployment(), "creator");

    ObjectNode reset =
        ENGINE.apply(
            PatchEngine.MERGE_PATCH,
            DEPLOYMENT,
            created,
            body("{'metadata':{'managedFields':[{}]}}"),
            "admin",
            false);

    assertThat(reset.at("/metadata").has("managedFields")).isFalse();
  }

  @Test
  void withoutAManagerNothingIsRecorded() {
    ObjectNode result =
        ENGINE.apply(
            PatchEngine.MERGE_PATCH,
            DEPLOYMENT,
            deployment(),
            body("{'spec':{'replicas':5}}"),
            null,
            false);

    assertThat(result.at("/metadata").has("managedFields")).isFalse();
  }

  @Test
  void theManagerDefaultsToTheUserAgentsProgramName() {
    assertThat(
            PatchEngine.managerOrUserAgent("", "kubectl/v1.32.4 (linux/amd64) kubernetes/59526cd"))
        .isEqualTo("kubectl");
    assertThat(PatchEngine.managerOrUserAgent("kubectl-edit", "kubectl/v1.32.4"))
        .isEqualTo("kubectl-edit");
    assertThat(PatchEngine.managerOrUserAgent(null, "curl")).isEqualTo("curl");
    assertThat(PatchEngine.managerOrUserAgent(null, null)).isEmpty();
  }
}
