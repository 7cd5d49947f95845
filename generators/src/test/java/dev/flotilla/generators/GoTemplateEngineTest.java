package dev.flotilla.generators;

import static dev.flotilla.generators.Fixtures.assertResult;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ApplicationSets with {@code goTemplate: true}, end to end through the engine. */
class GoTemplateEngineTest {

  record Case(
      String name, String spec, Map<String, Map<String, String>> apps, List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static String appSet(String spec) {
    return "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: test\n"
        + "  namespace: argocd\nspec:\n  goTemplate: true\n"
        + ListGeneratorTest.indent(spec, 2)
        + "\n";
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "list elements keep their structure",
            """
            generators:
            - list:
                elements:
                - cluster: Engineering-Dev
                  url: https://1.2.3.4
                  replicas: 2
                  labels: {tier: web}
                  envs: [a, b]
            template:
              metadata:
                name: '{{ .cluster | normalize }}'
                labels:
                  tier: '{{ .labels.tier }}'
              spec:
                project: default
                source:
                  path: '{{ index .envs 1 }}/{{ add .replicas 1 }}'
                destination:
                  server: '{{ .url }}'
                  namespace: '{{ if eq .labels.tier "web" }}frontend{{ else }}backend{{ end }}'
            """,
            Map.of(
                "engineering-dev",
                Map.of(
                    "metadata.labels.tier", "web",
                    "spec.source.path", "b/3",
                    "spec.destination.server", "https://1.2.3.4",
                    "spec.destination.namespace", "frontend")),
            List.of()),
        new Case(
            "git directories give path as a map with segments",
            """
            generators:
            - git:
                repoURL: https://git.example.com/infra.git
                revision: HEAD
                directories:
                - path: apps/*
                values:
                  team: 'team-{{ index .path.segments 1 }}'
            template:
              metadata:
                name: '{{ .path.basenameNormalized }}'
              spec:
                project: default
                source:
                  path: '{{ .path.path }}'
                destination:
                  namespace: '{{ .values.team }}'
            """,
            Map.of(
                "billing",
                Map.of("spec.destination.namespace", "team-billing"),
                "legacy",
                Map.of(),
                "my-app",
                Map.of(
                    "spec.source.path", "apps/My_App", "spec.destination.namespace", "team-My_App"),
                "shop",
                Map.of("spec.destination.namespace", "team-shop")),
            List.of()),
        new Case(
            "git files keep nested keys and add path.filename",
            """
            generators:
            - git:
                repoURL: https://git.example.com/infra.git
                revision: HEAD
                pathParamPrefix: cfg
                files:
                - path: config/d*/config.json
            template:
              metadata:
                name: '{{ .cluster.name }}-{{ .cfg.path.basename }}'
              spec:
                project: default
                source:
                  path: '{{ .cfg.path.filename }}/{{ .cfg.path.filenameNormalized }}'
                destination:
                  server: '{{ .cluster.address }}'
            """,
            Map.of(
                "dev-dev",
                Map.of(
                    "spec.source.path",
                    "config.json/config.json",
                    "spec.destination.server",
                    "https://1.2.3.4")),
            List.of()),
        new Case(
            "cluster metadata is nested",
            """
            generators:
            - clusters:
                selector:
                  matchLabels: {env: prod}
            template:
              metadata:
                name: '{{ .nameNormalized }}'
                annotations:
                  team: '{{ default "none" .metadata.annotations.team }}'
              spec:
                project: default
                destination:
                  server: '{{ .server }}'
                  namespace: '{{ .metadata.labels.region }}'
            """,
            Map.of(
                "prod-eu",
                    Map.of(
                        "metadata.annotations.team",
                        "payments",
                        "spec.destination.namespace",
                        "eu"),
                "prod-us", Map.of("metadata.annotations.team", "none")),
            List.of()),
        new Case(
            "cluster flatList gives one parameter set listing the clusters",
            """
            generators:
            - clusters:
                flatList: true
                selector:
                  matchLabels: {env: prod}
            template:
              metadata:
                name: all-prod
              spec:
                project: default
                source:
                  helm:
                    values: '{{ range .clusters }}{{ .nameNormalized }}={{ .server }};{{ end }}'
            """,
            Map.of(
                "all-prod",
                Map.of(
                    "spec.source.helm.values",
                    "prod-eu=https://10.0.0.1;prod-us=https://10.0.0.2;")),
            List.of()),
        new Case(
            "missingkey=error names the element and the field",
            """
            goTemplateOptions: ["missingkey=error"]
            generators:
            - list:
                elements:
                - name: a
                  ns: x
                - name: b
            template:
              metadata:
                name: '{{ .name }}'
              spec:
                project: default
                destination:
                  namespace: '{{ .ns }}'
            """,
            Map.of("a", Map.of("spec.destination.namespace", "x")),
            List.of(
                "spec.generators[0].list.elements[1] | template.spec.destination.namespace: failed to execute go template {{ .ns }}: executing at <.ns>: map has no entry for key \"ns\"")),
        new Case(
            "without missingkey=error a missing key renders <no value>",
            """
            generators:
            - list:
                elements:
                - name: a
            template:
              metadata:
                name: '{{ .name }}'
              spec:
                project: default
                destination:
                  namespace: '{{ .ns }}'
            """,
            Map.of("a", Map.of("spec.destination.namespace", "<no value>")),
            List.of()),
        new Case(
            "a template that does not parse is one located error",
            """
            generators:
            - list:
                elements:
                - name: a
            template:
              metadata:
                name: '{{ .name'
              spec:
                project: default
            """,
            Map.of(),
            List.of("spec.template.metadata.name | failed to parse template")),
        new Case(
            "templatePatch merges rendered YAML into each Application",
            """
            generators:
            - list:
                elements:
                - name: a
                  autoSync: true
                  prune: true
                - name: b
                  autoSync: false
            template:
              metadata:
                name: '{{ .name }}'
              spec:
                project: default
                source:
                  repoURL: https://git.example.com/infra.git
            templatePatch: |
              metadata:
                labels:
                  patched: "{{ .name }}"
              {{- if .autoSync }}
              spec:
                syncPolicy:
                  automated:
                    prune: {{ .prune }}
              {{- end }}
            """,
            Map.of(
                "a",
                Map.of(
                    "metadata.labels.patched", "a",
                    "spec.syncPolicy.automated.prune", "true",
                    "spec.source.repoURL", "https://git.example.com/infra.git"),
                "b",
                Map.of("metadata.labels.patched", "b", "spec.syncPolicy", "")),
            List.of()),
        new Case(
            "templatePatch may not change the project: Argo CD ignores the field, so do we",
            """
            generators:
            - list:
                elements:
                - name: a
                  team: evil
            template:
              metadata:
                name: '{{ .name }}'
              spec:
                project: default
            templatePatch: |
              metadata:
                labels:
                  patched: 'yes'
              spec:
                project: '{{ .team }}'
            """,
            Map.of("a", Map.of("spec.project", "default", "metadata.labels.patched", "yes")),
            List.of()),
        new Case(
            "elementsYaml from a matrix child's params",
            """
            generators:
            - matrix:
                generators:
                - list:
                    elements:
                    - cluster: c1
                      apps: '[{"app": "x"}, {"app": "y"}]'
                - list:
                    elementsYaml: '{{ .apps }}'
            template:
              metadata:
                name: '{{ .cluster }}-{{ .app }}'
              spec:
                project: default
            """,
            Map.of("c1-x", Map.of(), "c1-y", Map.of()),
            List.of()),
        new Case(
            "matrix in goTemplate deep-merges and the first child's values win",
            """
            generators:
            - matrix:
                generators:
                - list:
                    elements: [{name: a, env: one, meta: {x: '1'}, empty: ''}]
                - list:
                    elements: [{env: two, meta: {y: '2'}, empty: filled}]
            template:
              metadata:
                name: '{{ .name }}-{{ .env }}'
              spec:
                project: default
                source:
                  path: '{{ .meta.x }}{{ .meta.y }}-{{ .empty }}'
            """,
            Map.of("a-one", Map.of("spec.source.path", "12-filled")),
            List.of()),
        new Case(
            "merge in goTemplate deep-merges with override",
            """
            generators:
            - merge:
                mergeKeys: [name]
                generators:
                - list:
                    elements:
                    - {name: a, cfg: {replicas: '1', tier: web}}
                    - {name: a, cfg: {replicas: '1', tier: api}}
                    - {name: b, cfg: {replicas: '1', tier: web}}
                - list:
                    elements:
                    - {name: a, cfg: {replicas: '5'}}
            template:
              metadata:
                name: '{{ .name }}-{{ .cfg.tier }}'
              spec:
                project: default
                source:
                  path: '{{ .cfg.replicas }}'
            """,
            Map.of(
                "a-web", Map.of("spec.source.path", "5"),
                "a-api", Map.of("spec.source.path", "5"),
                "b-web", Map.of("spec.source.path", "1")),
            List.of()),
        new Case(
            "a matrix child without parameters fails the matrix, as in Argo",
            """
            generators:
            - matrix:
                generators:
                - list:
                    elements: [{name: a}]
                - clusters:
                    selector:
                      matchLabels: {env: nowhere}
            - list:
                elements: [{name: other}]
            template:
              metadata:
                name: '{{ .name }}'
              spec:
                project: default
            """,
            Map.of("other", Map.of()),
            List.of(
                "spec.generators[0].matrix.generators[1] | child generator generated no parameters")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generates(Case c) {
    assertResult(
        Fixtures.generateUnchecked(appSet(c.spec()), GeneratorsTest.inputs()),
        c.apps(),
        c.errors());
  }
}
