package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ReadableYamlTest {

  @Test
  void wellKnownKeysComeFirstInTheirUsualOrderAndTheRestSorted() {
    // As jsonb hands it back: shorter keys first, so kind before apiVersion, spec before metadata.
    JsonObject stored =
        new JsonObject(
            """
            {"kind": "ApplicationSet", "spec": {"zeta": 1, "template": {"spec": {"source": {"path": "apps/one",
              "targetRevision": "main", "repoURL": "https://git.example/r"},
              "project": "shop", "destination": {"namespace": "one", "name": "east"}}, "metadata": {"name": "x"}},
              "generators": [{"list": {"elements": [{"b": 2, "a": 1}]}}]},
             "metadata": {"name": "s"}, "apiVersion": "argoproj.io/v1alpha1"}
            """);
    assertThat(ReadableYaml.of(stored))
        .isEqualTo(
            """
            apiVersion: argoproj.io/v1alpha1
            kind: ApplicationSet
            metadata:
              name: s
            spec:
              generators:
              - list:
                  elements:
                  - a: 1
                    b: 2
              template:
                metadata:
                  name: x
                spec:
                  project: shop
                  source:
                    repoURL: https://git.example/r
                    targetRevision: main
                    path: apps/one
                  destination:
                    name: east
                    namespace: one
              zeta: 1
            """);
  }
}
