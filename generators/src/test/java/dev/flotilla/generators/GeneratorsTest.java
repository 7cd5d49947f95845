package dev.flotilla.generators;

import static dev.flotilla.generators.Fixtures.assertResult;
import static dev.flotilla.generators.Fixtures.generate;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Cluster, git directory, git files, matrix and merge generators through the engine. */
class GeneratorsTest {

  static final String REPO = "https://git.example.com/infra.git";

  record Case(
      String name,
      String generators,
      String template,
      Map<String, Map<String, String>> apps,
      List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static InMemoryInputs inputs() {
    return new InMemoryInputs()
        .cluster(
            new ClusterInfo(
                "Prod_EU",
                "https://10.0.0.1",
                Map.of("env", "prod", "region", "eu"),
                Map.of("team", "payments")))
        .cluster(
            new ClusterInfo(
                "prod-us", "https://10.0.0.2", Map.of("env", "prod", "region", "us"), Map.of()))
        .cluster(new ClusterInfo("staging", "https://10.0.0.3", Map.of("env", "staging"), Map.of()))
        .file(REPO, "apps/billing/kustomization.yaml", "kind: Kustomization")
        .file(REPO, "apps/shop/kustomization.yaml", "kind: Kustomization")
        .file(REPO, "apps/shop/overlays/prod/kustomization.yaml", "kind: Kustomization")
        .file(REPO, "apps/legacy/README.md", "old")
        .file(REPO, "apps/.hidden/x.yaml", "a: b")
        .file(REPO, "apps/My_App/x.yaml", "a: b")
        .file(
            REPO,
            "config/dev/config.json",
            "{\"cluster\": {\"name\": \"dev\", \"address\": \"https://1.2.3.4\"}, \"replicas\": 2}")
        .file(
            REPO,
            "config/prod/config.yaml",
            "cluster:\n  name: prod\n  address: https://5.6.7.8\nreplicas: 1000000\n")
        .file(REPO, "config/multi/list.yaml", "- cluster: {name: m1}\n- cluster: {name: m2}\n")
        .file(REPO, "config/bad/config.json", "{not json")
        .file(REPO, "config/scalar/config.json", "42");
  }

  static String appSet(String generators, String template) {
    return "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: test\n"
        + "  namespace: argocd\nspec:\n  generators:\n"
        + ListGeneratorTest.indent(generators, 4)
        + "\n  template:\n"
        + ListGeneratorTest.indent(template, 4)
        + "\n";
  }

  static final String NAME_ONLY = "metadata:\n  name: '%s'\nspec:\n  project: default\n";

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "cluster generator gives name, nameNormalized, server, labels and annotations",
            """
            - clusters:
                selector:
                  matchLabels:
                    env: prod
                values:
                  revision: 'main-{{metadata.labels.region}}'
            """,
            """
            metadata:
              name: '{{nameNormalized}}-app'
              labels:
                region: '{{metadata.labels.region}}'
                team: '{{metadata.annotations.team}}'
            spec:
              project: default
              source:
                targetRevision: '{{values.revision}}'
              destination:
                server: '{{server}}'
                name: '{{name}}'
            """,
            Map.of(
                "prod-eu-app",
                Map.of(
                    "metadata.labels.region", "eu",
                    "metadata.labels.team", "payments",
                    "spec.source.targetRevision", "main-eu",
                    "spec.destination.server", "https://10.0.0.1",
                    "spec.destination.name", "Prod_EU"),
                "prod-us-app",
                Map.of("metadata.labels.team", "{{metadata.annotations.team}}")),
            List.of()),
        new Case(
            "cluster matchExpressions In, NotIn, Exists, DoesNotExist",
            """
            - clusters:
                selector:
                  matchExpressions:
                  - {key: env, operator: In, values: [prod, staging]}
                  - {key: region, operator: NotIn, values: [us]}
                  - {key: env, operator: Exists}
                values:
                  suffix: '-in'
            - clusters:
                selector:
                  matchExpressions:
                  - {key: region, operator: DoesNotExist}
                values:
                  suffix: '-x'
            """,
            NAME_ONLY.formatted("{{nameNormalized}}{{values.suffix}}"),
            Map.of("prod-eu-in", Map.of(), "staging-in", Map.of(), "staging-x", Map.of()),
            List.of()),
        new Case(
            "an invalid Application name is refused per element",
            """
            - clusters:
                selector:
                  matchLabels: {env: prod}
            """,
            NAME_ONLY.formatted("{{name}}"),
            Map.of("prod-us", Map.of()),
            List.of(
                "spec.generators[0].clusters (cluster Prod_EU) | 'Prod_EU' is not a valid Application name")),
        new Case(
            "a source path leaving the repository is refused per element",
            """
            - list:
                elements:
                - {name: good, dir: apps/good}
                - {name: bad, dir: ../../etc}
            """,
            "metadata:\n  name: '{{name}}'\nspec:\n  project: default\n  source:\n    path: '{{dir}}'\n",
            Map.of("good", Map.of("spec.source.path", "apps/good")),
            List.of(
                "spec.generators[0].list.elements[1] | template.spec.source.path: '../../etc' leaves the repository")),
        new Case(
            "cluster selector with an unknown operator fails the generator",
            """
            - clusters:
                selector:
                  matchExpressions:
                  - {key: env, operator: Maybe, values: [prod]}
            """,
            NAME_ONLY.formatted("{{name}}"),
            Map.of(),
            List.of(
                "spec.generators[0].clusters.selector.matchExpressions[0].operator | unknown operator 'Maybe'")),
        new Case(
            "git directories: glob, exclude wins, dot directories skipped, path params",
            """
            - git:
                repoURL: https://git.example.com/infra.git
                revision: HEAD
                directories:
                - path: apps/*
                - path: apps/legacy
                  exclude: true
            """,
            """
            metadata:
              name: '{{path.basenameNormalized}}'
            spec:
              project: default
              source:
                path: '{{path}}'
                targetRevision: '{{path[0]}}/{{path[1]}}'
              destination:
                namespace: '{{path.basename}}'
            """,
            Map.of(
                "billing",
                Map.of(
                    "spec.source.path", "apps/billing",
                    "spec.source.targetRevision", "apps/billing",
                    "spec.destination.namespace", "billing"),
                "my-app",
                Map.of("spec.destination.namespace", "My_App"),
                "shop",
                Map.of()),
            List.of()),
        new Case(
            "git directories with pathParamPrefix and values",
            """
            - git:
                repoURL: https://git.example.com/infra.git
                revision: HEAD
                pathParamPrefix: app
                directories:
                - path: apps/shop/overlays/*
                values:
                  ns: 'ns-{{app.path.basename}}'
            """,
            """
            metadata:
              name: 'shop-{{app.path.basename}}'
            spec:
              project: default
              source:
                path: '{{app.path}}'
              destination:
                namespace: '{{values.ns}}'
            """,
            Map.of(
                "shop-prod",
                Map.of(
                    "spec.source.path",
                    "apps/shop/overlays/prod",
                    "spec.destination.namespace",
                    "ns-prod")),
            List.of()),
        new Case(
            "git files: JSON and YAML flattened, lists give one set per item, bad files isolated",
            """
            - git:
                repoURL: https://git.example.com/infra.git
                revision: HEAD
                files:
                - path: config/**
            """,
            """
            metadata:
              name: '{{cluster.name}}'
            spec:
              project: default
              source:
                path: '{{path}}'
                targetRevision: '{{path.filename}}'
              destination:
                server: '{{cluster.address}}'
                namespace: '{{replicas}}'
            """,
            Map.of(
                "dev",
                Map.of(
                    "spec.source.path", "config/dev",
                    "spec.source.targetRevision", "config.json",
                    "spec.destination.server", "https://1.2.3.4",
                    "spec.destination.namespace", "2"),
                "prod",
                Map.of("spec.destination.namespace", "1e+06"),
                "m1",
                Map.of("spec.source.targetRevision", "list.yaml"),
                "m2",
                Map.of()),
            List.of(
                "spec.generators[0].git.files (file config/bad/config.json) | not valid JSON or YAML",
                "spec.generators[0].git.files (file config/scalar/config.json) | must hold a map")),
        new Case(
            "git files exclude",
            """
            - git:
                repoURL: https://git.example.com/infra.git
                revision: HEAD
                files:
                - path: config/*/config.*
                - path: config/bad/*
                  exclude: true
                - path: config/scalar/*
                  exclude: true
            """,
            NAME_ONLY.formatted("{{cluster.name}}-{{path.basenameNormalized}}"),
            Map.of("dev-dev", Map.of(), "prod-prod", Map.of()),
            List.of()),
        new Case(
            "git unreachable fails the generator, the other generator still renders",
            """
            - git:
                repoURL: https://git.example.com/missing.git
                revision: main
                directories:
                - path: '*'
            - list:
                elements:
                - name: ok
            """,
            NAME_ONLY.formatted("{{name}}"),
            Map.of("ok", Map.of()),
            List.of(
                "spec.generators[0].git.repoURL | cannot read https://git.example.com/missing.git at main")),
        new Case(
            "git paths escaping the repository are refused",
            """
            - git:
                repoURL: https://git.example.com/infra.git
                revision: HEAD
                files:
                - path: ../../etc/passwd
            """,
            NAME_ONLY.formatted("{{name}}"),
            Map.of(),
            List.of("spec.generators[0].git.files[0].path | escapes the repository")),
        new Case(
            "matrix: git directories x clusters, second child sees the first's params",
            """
            - matrix:
                generators:
                - git:
                    repoURL: https://git.example.com/infra.git
                    revision: HEAD
                    directories:
                    - path: apps/billing
                    - path: apps/shop
                - clusters:
                    selector:
                      matchLabels:
                        env: prod
                    values:
                      app: '{{path.basename}}'
            """,
            """
            metadata:
              name: '{{path.basename}}-{{nameNormalized}}'
            spec:
              project: default
              source:
                path: '{{path}}'
              destination:
                server: '{{server}}'
                namespace: '{{values.app}}'
            """,
            Map.of(
                "billing-prod-eu",
                    Map.of(
                        "spec.destination.namespace",
                        "billing",
                        "spec.destination.server",
                        "https://10.0.0.1"),
                "billing-prod-us", Map.of(),
                "shop-prod-eu", Map.of("spec.source.path", "apps/shop"),
                "shop-prod-us", Map.of()),
            List.of()),
        new Case(
            "matrix with three children is an error",
            """
            - matrix:
                generators:
                - list: {elements: [{a: '1'}]}
                - list: {elements: [{b: '1'}]}
                - list: {elements: [{c: '1'}]}
            """,
            NAME_ONLY.formatted("{{a}}"),
            Map.of(),
            List.of(
                "spec.generators[0].matrix.generators | exactly two child generators, found 3")),
        new Case(
            "matrix conflicting flat keys are reported per combination",
            """
            - matrix:
                generators:
                - list: {elements: [{a: '1', k: x}, {a: '2', k: y}]}
                - list: {elements: [{b: '1', k: x}]}
            """,
            NAME_ONLY.formatted("{{a}}-{{b}}"),
            Map.of("1-1", Map.of()),
            List.of(
                "spec.generators[0].matrix.generators[0].list.elements[1] × spec.generators[0].matrix.generators[1].list.elements[0]"
                    + " | duplicate key 'k'")),
        new Case(
            "merge: later generators override base sets with equal merge keys",
            """
            - merge:
                mergeKeys: [server]
                generators:
                - clusters:
                    values:
                      replicas: '1'
                - list:
                    elements:
                    - server: https://10.0.0.2
                      values.replicas: '3'
                    - server: https://nowhere
                      values.replicas: '9'
            """,
            """
            metadata:
              name: '{{nameNormalized}}'
            spec:
              project: default
              source:
                path: '{{values.replicas}}'
            """,
            Map.of(
                "prod-eu", Map.of("spec.source.path", "1"),
                "prod-us", Map.of("spec.source.path", "3"),
                "staging", Map.of("spec.source.path", "1")),
            List.of()),
        new Case(
            "merge without mergeKeys is an error",
            """
            - merge:
                generators:
                - list: {elements: [{a: '1'}]}
                - list: {elements: [{a: '1'}]}
            """,
            NAME_ONLY.formatted("{{a}}"),
            Map.of(),
            List.of("spec.generators[0].merge.mergeKeys | at least one merge key")),
        new Case(
            "generator post-selector filters parameter sets",
            """
            - list:
                elements:
                - {name: a, env: prod}
                - {name: b, env: dev}
              selector:
                matchLabels:
                  env: prod
            """,
            NAME_ONLY.formatted("{{name}}"),
            Map.of("a", Map.of()),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void generates(Case c) {
    assertResult(
        Fixtures.generateUnchecked(appSet(c.generators(), c.template()), inputs()),
        c.apps(),
        c.errors());
  }

  @Test
  void requeueIsTheEarliestGeneratorAsk() {
    GenerationResult result =
        generate(
            appSet(
                """
                - list:
                    elements: [{name: a}]
                - git:
                    repoURL: https://git.example.com/infra.git
                    revision: HEAD
                    requeueAfterSeconds: 30
                    directories: [{path: apps/shop}]
                """,
                NAME_ONLY.formatted("{{name}}{{path.basename}}")),
            inputs());
    assertThat(result.requeueAfter()).isEqualTo(Optional.of(Duration.ofSeconds(30)));
    assertThat(
            generate(
                    appSet("- list:\n    elements: [{name: a}]\n", NAME_ONLY.formatted("{{name}}")),
                    inputs())
                .requeueAfter())
        .isEmpty();
  }

  @Test
  void eachRepositoryRevisionIsReadOncePerRun() {
    InMemoryInputs inputs = inputs();
    GenerationResult result =
        generate(
            appSet(
                """
                - matrix:
                    generators:
                    - list:
                        elements: [{env: b}, {env: s}]
                    - git:
                        repoURL: https://git.example.com/infra.git
                        revision: HEAD
                        directories: [{path: 'apps/{{env}}*'}]
                - git:
                    repoURL: https://git.example.com/infra.git
                    revision: HEAD
                    directories: [{path: apps/shop}]
                    template:
                      metadata:
                        name: 'x-{{path.basename}}'
                """,
                NAME_ONLY.formatted("{{env}}{{path.basename}}")),
            inputs);
    assertThat(Fixtures.names(result)).containsExactly("bbilling", "sshop", "x-shop");
    assertThat(result.errors()).isEmpty();
    assertThat(inputs.gitReads()).isEqualTo(1);
  }

  @Test
  void oversizedGitFileIsRefusedWithoutStoppingOthers() {
    InMemoryInputs inputs =
        inputs()
            .file(
                REPO,
                "config/huge/config.yaml",
                "cluster: {name: huge}\npad: '" + "x".repeat(2_000_000) + "'\n");
    GenerationResult result =
        generate(
            appSet(
                "- git:\n    repoURL: "
                    + REPO
                    + "\n    revision: HEAD\n    files:\n    - path: config/*/config.*\n",
                NAME_ONLY.formatted("{{cluster.name}}")),
            inputs);
    assertThat(Fixtures.names(result)).contains("dev", "prod").doesNotContain("huge");
    assertThat(result.errors())
        .anySatisfy(
            e -> assertThat(e.toString()).contains("config/huge/config.yaml").contains("limit"));
  }
}
