package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

  final ManifestParser parser = new ManifestParser(RenderLimits.DEFAULT);

  @Test
  void readsScalarsAsKubernetesDoes() throws Exception {
    List<ObjectNode> objs =
        parser.parse(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    at: 2026-01-01\n"
                + "spec:\n  n: 3\n  f: 1.5\n  b: true\n  empty:\n  80: http\n",
            "f.yaml");

    ObjectNode spec = (ObjectNode) objs.get(0).get("spec");
    assertThat(objs.get(0).path("metadata").path("annotations").path("at").isTextual()).isTrue();
    assertThat(spec.get("n").isInt()).isTrue();
    assertThat(spec.get("f").asDouble()).isEqualTo(1.5);
    assertThat(spec.get("b").asBoolean()).isTrue();
    assertThat(spec.get("empty").isNull()).isTrue();
    assertThat(spec.get("80").asText()).isEqualTo("http");
  }

  @Test
  void resolvesLegitimateAnchorsAndMergeKeys() throws Exception {
    List<ObjectNode> objs =
        parser.parse(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: &l {a: b}\n"
                + "data:\n  <<: {k: v}\nspec:\n  copy: *l\n",
            "f.yaml");

    assertThat(objs.get(0).path("spec").path("copy").path("a").asText()).isEqualTo("b");
    assertThat(objs.get(0).path("data").path("k").asText()).isEqualTo("v");
  }

  @Test
  void refusesDuplicateKeys() {
    assertThatThrownBy(
            () -> parser.parse("apiVersion: v1\nkind: ConfigMap\nkind: Secret\n", "f.yaml"))
        .hasMessageContaining("f.yaml: invalid YAML at line 3")
        .hasMessageContaining("duplicate key");
  }

  @Test
  void readsJsonWithTabs() throws Exception {
    List<ObjectNode> objs =
        parser.parse(
            "{\n\t\"apiVersion\": \"v1\",\n\t\"kind\": \"ConfigMap\",\n\t\"metadata\": {\"name\": \"x\"}\n}",
            "f.json");

    assertThat(objs).hasSize(1);
  }

  @Test
  void namesTheLineOfAJsonError() {
    assertThatThrownBy(() -> parser.parse("{\n\"apiVersion\": \"v1\",,\n}", "f.json"))
        .hasMessageContaining("f.json: invalid JSON at line 2");
  }

  @Test
  void acceptsGenerateNameOnlyForAHook() throws Exception {
    String hook =
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n"
            + "  annotations:\n    argocd.argoproj.io/hook: PreSync\n";
    String notHook = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: migrate-\n";

    assertThat(parser.parse(hook, "hook.yaml")).hasSize(1);
    assertThatThrownBy(() -> parser.parse(notHook, "job.yaml"))
        .hasMessage(
            "job.yaml document 1 (Job) has no metadata.name"
                + " (generateName is only for resource hooks)");
  }
}
