package dev.flotilla.generators;

import static dev.flotilla.generators.Fixtures.assertResult;
import static dev.flotilla.generators.Fixtures.generate;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ListGeneratorTest {

  record Case(
      String name, String yaml, Map<String, Map<String, String>> apps, List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static String appSet(String generators, String template) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: guestbook
          namespace: argocd
        spec:
          generators:
        %s
          template:
        %s
        """
        .formatted(indent(generators, 4), indent(template, 4));
  }

  static String indent(String text, int spaces) {
    return text.stripIndent()
        .lines()
        .map(l -> " ".repeat(spaces) + l)
        .reduce((a, b) -> a + "\n" + b)
        .orElse("");
  }

  static final String TEMPLATE =
      """
      metadata:
        name: '{{cluster}}-guestbook'
      spec:
        project: default
        source:
          repoURL: https://github.com/argoproj/argo-cd.git
          targetRevision: HEAD
          path: applicationset/examples/list-generator/guestbook/{{cluster}}
        destination:
          server: '{{url}}'
          namespace: guestbook
      """;

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "two elements render two Applications sorted by name",
            appSet(
                """
                - list:
                    elements:
                    - cluster: engineering-prod
                      url: https://2.4.6.8
                    - cluster: engineering-dev
                      url: https://1.2.3.4
                """,
                TEMPLATE),
            Map.of(
                "engineering-dev-guestbook",
                Map.of(
                    "apiVersion", "argoproj.io/v1alpha1",
                    "kind", "Application",
                    "metadata.namespace", "argocd",
                    "metadata.finalizers[0]", "resources-finalizer.argocd.argoproj.io",
                    "spec.destination.server", "https://1.2.3.4",
                    "spec.source.path",
                        "applicationset/examples/list-generator/guestbook/engineering-dev",
                    "spec.project", "default"),
                "engineering-prod-guestbook",
                Map.of("spec.destination.server", "https://2.4.6.8")),
            List.of()),
        new Case(
            "spaces inside braces are ignored; unknown params stay as written",
            appSet(
                """
                - list:
                    elements:
                    - cluster: dev
                """,
                """
                metadata:
                  name: '{{ cluster }}-app'
                  labels:
                    team: '{{team}}'
                spec:
                  project: default
                  destination:
                    server: https://kubernetes.default.svc
                """),
            Map.of("dev-app", Map.of("metadata.labels.team", "{{team}}")),
            List.of()),
        new Case(
            "string values and a map of strings under values render, as in Argo CD",
            appSet(
                """
                - list:
                    elements:
                    - cluster: dev
                      replicas: '3'
                      values:
                        chart: nginx
                """,
                """
                metadata:
                  name: '{{cluster}}-{{values.chart}}'
                spec:
                  project: default
                  source:
                    helm:
                      parameters:
                      - name: replicas
                        value: '{{replicas}}'
                """),
            Map.of("dev-nginx", Map.of("spec.source.helm.parameters[0].value", "3")),
            List.of()),
        new Case(
            "without goTemplate a value that is not a string is refused, naming the element and key",
            appSet(
                """
                - list:
                    elements:
                    - cluster: ok
                    - cluster: num
                      replicas: 3
                    - cluster: flag
                      enabled: true
                    - cluster: deep
                      nested: {key: v1}
                    - cluster: vals
                      values: {replicas: 2}
                    - cluster: nothing
                      empty: null
                """,
                TEMPLATE),
            Map.of("ok-guestbook", Map.of()),
            List.of(
                "spec.generators[0].list.elements[1] | the value of 'replicas' is a number, but"
                    + " without goTemplate list element values must be strings (as in Argo CD):"
                    + " quote it ('3') or set goTemplate: true",
                "spec.generators[0].list.elements[2] | the value of 'enabled' is a boolean",
                "spec.generators[0].list.elements[3] | the value of 'nested' is a map, but without"
                    + " goTemplate list element values must be strings (as in Argo CD): set"
                    + " goTemplate: true to use structured values",
                "spec.generators[0].list.elements[4] | the value of 'values.replicas' is a number",
                "spec.generators[0].list.elements[5] | the value of 'empty' is null")),
        new Case(
            "template keys are templated too and non-string values are kept",
            appSet(
                """
                - list:
                    elements:
                    - cluster: dev
                """,
                """
                metadata:
                  name: '{{cluster}}'
                  annotations:
                    'notify-{{cluster}}': 'yes'
                spec:
                  project: default
                  syncPolicy:
                    automated:
                      prune: true
                    retry:
                      limit: 5
                """),
            Map.of(
                "dev",
                Map.of(
                    "metadata.annotations.notify-dev", "yes",
                    "spec.syncPolicy.automated.prune", "true",
                    "spec.syncPolicy.retry.limit", "5")),
            List.of()),
        new Case(
            "a bad element is reported by index and the others still render",
            appSet(
                """
                - list:
                    elements:
                    - cluster: a
                    - just-a-string
                    - cluster: c
                """,
                "metadata:\n  name: '{{cluster}}'\nspec:\n  project: default\n"),
            Map.of("a", Map.of(), "c", Map.of()),
            List.of("spec.generators[0].list.elements[1] | element must be a map")),
        new Case(
            "an element rendering no name is an error naming the element",
            appSet(
                """
                - list:
                    elements:
                    - cluster: a
                    - cluster: ''
                """,
                "metadata:\n  name: '{{cluster}}'\nspec:\n  project: default\n"),
            Map.of("a", Map.of()),
            List.of("spec.generators[0].list.elements[1] | has no name")),
        new Case(
            "duplicate names are dropped and both sources named",
            appSet(
                """
                - list:
                    elements:
                    - cluster: a
                    - cluster: b
                - list:
                    elements:
                    - cluster: a
                """,
                "metadata:\n  name: '{{cluster}}'\nspec:\n  project: default\n"),
            Map.of("b", Map.of()),
            List.of(
                "spec.generators[0].list.elements[0] | duplicate Application name 'a' generated by"
                    + " spec.generators[0].list.elements[0] and spec.generators[1].list.elements[0]")),
        new Case(
            "preserveResourcesOnDeletion leaves out the finalizer",
            appSet(
                    """
                - list:
                    elements:
                    - cluster: a
                """,
                    "metadata:\n  name: '{{cluster}}'\nspec:\n  project: default\n")
                .replace(
                    "spec:\n  generators:",
                    "spec:\n  syncPolicy:\n    preserveResourcesOnDeletion: true\n  generators:"),
            Map.of("a", Map.of("metadata.finalizers", "")),
            List.of()),
        new Case(
            "template finalizers are kept instead of the default",
            appSet(
                """
                - list:
                    elements:
                    - cluster: a
                """,
                """
                metadata:
                  name: '{{cluster}}'
                  finalizers:
                  - resources-finalizer.argocd.argoproj.io/background
                spec:
                  project: default
                """),
            Map.of(
                "a",
                Map.of(
                    "metadata.finalizers",
                    "[\"resources-finalizer.argocd.argoproj.io/background\"]")),
            List.of()),
        new Case(
            "a generator template overrides the ApplicationSet template field by field",
            appSet(
                """
                - list:
                    elements:
                    - cluster: a
                    template:
                      metadata: {}
                      spec:
                        source:
                          path: override/{{cluster}}
                - list:
                    elements:
                    - cluster: b
                """,
                """
                metadata:
                  name: '{{cluster}}'
                spec:
                  project: default
                  source:
                    repoURL: https://example.com/repo.git
                    path: base/{{cluster}}
                """),
            Map.of(
                "a",
                Map.of(
                    "spec.source.path", "override/a",
                    "spec.source.repoURL", "https://example.com/repo.git"),
                "b",
                Map.of("spec.source.path", "base/b")),
            List.of()),
        new Case(
            "elementsYaml adds elements after elements",
            appSet(
                """
                - list:
                    elements:
                    - cluster: a
                    elementsYaml: |
                      - cluster: b
                      - cluster: c
                """,
                "metadata:\n  name: '{{cluster}}'\nspec:\n  project: default\n"),
            Map.of("a", Map.of(), "b", Map.of(), "c", Map.of()),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generates(Case c) {
    assertResult(generate(c.yaml(), new InMemoryInputs()), c.apps(), c.errors());
  }
}
