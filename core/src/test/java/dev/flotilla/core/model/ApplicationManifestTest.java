package dev.flotilla.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.yaml.BoundedYaml;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Argo CD's own Application examples are accepted unchanged; every mistake names its field. */
class ApplicationManifestTest {

  private static final BoundedYaml YAML = new BoundedYaml(1024 * 1024);

  /** Argo CD's getting-started guide, {@code argocd app create guestbook} as YAML. */
  static final String GUESTBOOK =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: guestbook
        namespace: argocd
      spec:
        project: default
        source:
          repoURL: https://github.com/argoproj/argocd-example-apps.git
          targetRevision: HEAD
          path: guestbook
        destination:
          server: https://kubernetes.default.svc
          namespace: guestbook
      """;

  /** The example. */
  static final String HEALTHCARE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: patient-portal
        namespace: argocd
        finalizers:
          - resources-finalizer.argocd.argoproj.io
      spec:
        project: healthcare
        source:
          repoURL: https://git.example.org/healthcare/charts.git
          targetRevision: main
          path: charts/patient-portal
          helm:
            valueFiles:
              - values-prod.yaml
        destination:
          server: https://kubernetes.default.svc
          namespace: patient-portal
        syncPolicy:
          automated:
            prune: true
            selfHeal: true
          syncOptions:
            - CreateNamespace=true
          retry:
            limit: 5
            backoff:
              duration: 5s
              factor: 2
              maxDuration: 3m
      """;

  /** Argo CD's declarative-setup reference Application (application.yaml), abridged. */
  static final String DECLARATIVE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: guestbook
        namespace: argocd
        finalizers:
          - resources-finalizer.argocd.argoproj.io
        labels:
          name: guestbook
      spec:
        project: default
        source:
          repoURL: https://github.com/argoproj/argocd-example-apps.git
          targetRevision: HEAD
          path: guestbook
          chart: chart-name
          helm:
            passCredentials: false
            parameters:
            - name: "nginx-ingress.controller.service.annotations.external-dns\\\\.alpha\\\\.kubernetes\\\\.io/hostname"
              value: mydomain.example.com
            - name: "ingress.annotations.kubernetes\\\\.io/tls-acme"
              value: "true"
              forceString: true
            fileParameters:
            - name: config
              path: files/config.json
            releaseName: guestbook
            valueFiles:
            - values-prod.yaml
            ignoreMissingValueFiles: false
            values: |
              ingress:
                enabled: true
            valuesObject:
              ingress:
                enabled: true
            skipCrds: false
            skipSchemaValidation: false
            version: v2
            kubeVersion: 1.30.0
            apiVersions:
              - traefik.io/v1alpha1/TLSOption
            namespace: custom-namespace
          kustomize:
            version: v3.5.4
            namePrefix: prod-
            nameSuffix: -some-suffix
            commonLabels:
              foo: bar
            commonAnnotations:
              beep: boop-${ARGOCD_APP_REVISION}
            commonAnnotationsEnvsubst: true
            images:
            - gcr.io/heptio-images/ks-guestbook-demo:0.2
            - my-app=gcr.io/my-repo/my-app:0.1
            namespace: custom-namespace
            replicas:
            - name: kustomize-guestbook-ui
              count: 4
            components:
              - ../component
            patches:
              - target:
                  kind: Deployment
                  name: guestbook-ui
                patch: |-
                  - op: replace
                    path: /spec/template/spec/containers/0/ports/0/containerPort
                    value: 443
          directory:
            recurse: true
            jsonnet:
              extVars:
              - name: foo
                value: bar
              - code: true
                name: baz
                value: "true"
              tlas:
              - code: false
                name: foo
                value: bar
            exclude: 'config.yaml'
            include: '*.yaml'
          plugin:
            name: mypluginname
            env:
              - name: FOO
                value: bar
        destination:
          server: https://kubernetes.default.svc
          namespace: guestbook
        info:
          - name: 'Example:'
            value: 'https://example.com'
        syncPolicy:
          automated:
            prune: true
            selfHeal: true
            allowEmpty: false
          syncOptions:
          - Validate=false
          - CreateNamespace=true
          - PrunePropagationPolicy=foreground
          - PruneLast=true
          - RespectIgnoreDifferences=true
          - ApplyOutOfSyncOnly=true
          managedNamespaceMetadata:
            labels:
              any: label
            annotations:
              the: same
          retry:
            limit: 5
            backoff:
              duration: 5s
              factor: 2
              maxDuration: 3m
        ignoreDifferences:
        - group: apps
          kind: Deployment
          jsonPointers:
          - /spec/replicas
        - kind: ConfigMap
          jqPathExpressions:
          - '.data["config.yaml"].auth'
        - group: "*"
          kind: "*"
          managedFieldsManagers:
          - kube-controller-manager
          name: my-deployment
          namespace: my-namespace
        revisionHistoryLimit: 10
      """;

  /** Multiple sources: a chart from one repository, its values from another ({@code $values}). */
  static final String MULTI_SOURCE =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: prometheus
      spec:
        project: default
        destination:
          name: in-cluster
          namespace: monitoring
        sources:
        - repoURL: https://prometheus-community.github.io/helm-charts
          chart: prometheus
          targetRevision: 15.7.1
          helm:
            valueFiles:
            - $values/charts/prometheus/values.yaml
        - repoURL: https://git.example.org/org/value-files.git
          targetRevision: dev
          ref: values
      """;

  record Accepted(String name, String yaml, String project, int sources, boolean finalizer) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Accepted> accepted() {
    return Stream.of(
        new Accepted("getting started", GUESTBOOK, "default", 1, false),
        new Accepted("healthcare", HEALTHCARE, "healthcare", 1, true),
        new Accepted("declarative setup", DECLARATIVE, "default", 1, true),
        new Accepted("multiple sources with ref", MULTI_SOURCE, "default", 2, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void argoCdExamplesAreAcceptedUnchanged(Accepted c) throws Exception {
    JsonNode input = YAML.read(c.yaml());
    ApplicationManifest m = ApplicationManifest.read(input);
    assertThat(m.application().project()).isEqualTo(c.project());
    assertThat(m.application().spec().allSources()).hasSize(c.sources());
    assertThat(m.hasResourcesFinalizer()).isEqualTo(c.finalizer());
    // Stored as written: nothing dropped, nothing added.
    assertThat(m.document()).isEqualTo(input);
  }

  @Test
  void theHealthcareExampleReadsAsTyped() throws Exception {
    Application app = ApplicationManifest.read(YAML.read(HEALTHCARE)).application();
    assertThat(app.spec().source().helm().valueFiles()).containsExactly("values-prod.yaml");
    assertThat(app.spec().syncPolicy().automated().prune()).isTrue();
    assertThat(app.spec().syncPolicy().automated().selfHeal()).isTrue();
    assertThat(app.spec().syncPolicy().syncOptions()).containsExactly("CreateNamespace=true");
    assertThat(app.spec().syncPolicy().retry().limit()).isEqualTo(5);
    assertThat(app.spec().syncPolicy().retry().backoff().maxDuration()).isEqualTo("3m");
  }

  @Test
  void statusAndServerSetMetadataAreDropped() throws Exception {
    String exported =
        GUESTBOOK.replace(
                "  namespace: argocd\n",
                "  namespace: argocd\n  uid: abc\n  resourceVersion: \"12\"\n")
            + "status:\n  sync:\n    status: Synced\n";
    ApplicationManifest m = ApplicationManifest.read(YAML.read(exported));
    assertThat(m.document().has("status")).isFalse();
    assertThat(m.document().get("metadata").has("uid")).isFalse();
    assertThat(m.document().get("metadata").has("resourceVersion")).isFalse();
  }

  record Refused(String name, String yaml, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refused> refused() {
    return Stream.of(
        new Refused(
            "misspelt field",
            GUESTBOOK.replace("    path: guestbook", "    pth: guestbook"),
            "spec.source.pth: unknown field (Argo CD's spec.source has no such field) — did you"
                + " mean 'path'?"),
        new Refused(
            "misspelt selfHeal",
            HEALTHCARE.replace("selfHeal", "selfheal"),
            "spec.syncPolicy.automated.selfheal: unknown field"),
        new Refused(
            "misspelt valueFiles",
            HEALTHCARE.replace("valueFiles", "valueFile"),
            "spec.source.helm.valueFile: unknown field"),
        new Refused(
            "unknown field far from any",
            GUESTBOOK.replace("  project: default", "  project: default\n  colour: blue"),
            "spec.colour: unknown field (Argo CD's spec has no such field); known fields:"),
        new Refused("unknown top-level field", GUESTBOOK + "extra: 1\n", "extra: unknown field"),
        new Refused(
            "prune not a boolean",
            HEALTHCARE.replace("prune: true", "prune: \"yes\""),
            "spec.syncPolicy.automated.prune: must be true or false, got the string \"yes\""),
        new Refused(
            "retry limit not an integer",
            HEALTHCARE.replace("limit: 5", "limit: five"),
            "spec.syncPolicy.retry.limit: must be an integer, got the string \"five\""),
        new Refused(
            "bad backoff duration",
            HEALTHCARE.replace("duration: 5s", "duration: soon"),
            "spec.syncPolicy.retry.backoff.duration"),
        new Refused(
            "valueFiles not a list",
            HEALTHCARE.replace(
                "valueFiles:\n        - values-prod.yaml", "valueFiles: values-prod.yaml"),
            "spec.source.helm.valueFiles: must be a list, got the string \"values-prod.yaml\""),
        new Refused(
            "revisionHistoryLimit not an integer",
            GUESTBOOK + "  revisionHistoryLimit: ten\n",
            "spec.revisionHistoryLimit: must be an integer"),
        new Refused(
            "info not a list",
            GUESTBOOK + "  info: {a: b}\n",
            "spec.info: must be a list, got an object"),
        new Refused(
            "label not a string map",
            GUESTBOOK.replace("  namespace: argocd", "  namespace: argocd\n  labels: {a: [1]}"),
            "metadata.labels.a: must be a string, got a list"),
        new Refused(
            "wrong apiVersion",
            GUESTBOOK.replace("argoproj.io/v1alpha1", "argoproj.io/v1"),
            "apiVersion: must be argoproj.io/v1alpha1, got argoproj.io/v1"),
        new Refused(
            "wrong kind",
            GUESTBOOK.replace("kind: Application", "kind: ApplicationSet"),
            "kind: must be Application, got ApplicationSet"),
        new Refused(
            "no name", GUESTBOOK.replace("  name: guestbook\n", ""), "metadata.name: required"),
        new Refused(
            "generateName",
            GUESTBOOK.replace("  name: guestbook\n", "  generateName: guestbook-\n"),
            "metadata.generateName: not supported"),
        new Refused(
            "no project", GUESTBOOK.replace("  project: default\n", ""), "spec.project: required"),
        new Refused(
            "no destination",
            GUESTBOOK
                .replace("  destination:\n    server: https://kubernetes.default.svc\n", "")
                .replace("    namespace: guestbook\n", ""),
            "spec.destination: give the cluster by server"),
        new Refused(
            "server and name",
            GUESTBOOK.replace(
                "    namespace: guestbook", "    namespace: guestbook\n    name: east"),
            "spec.destination: give server or name, not both"),
        new Refused(
            "no source",
            GUESTBOOK
                .replace("  source:\n", "")
                .replace("    repoURL: https://github.com/argoproj/argocd-example-apps.git\n", "")
                .replace("    targetRevision: HEAD\n", "")
                .replace("    path: guestbook\n", ""),
            "spec.source or spec.sources: required"),
        new Refused(
            "no repoURL",
            GUESTBOOK.replace(
                "    repoURL: https://github.com/argoproj/argocd-example-apps.git\n", ""),
            "spec.source.repoURL: required"),
        new Refused(
            "$ref to no source",
            MULTI_SOURCE.replace("ref: values", "ref: vals"),
            "spec.sources[0].helm.valueFiles[0]: '$values/charts/prometheus/values.yaml' refers"
                + " to $values, but no source has ref: values"),
        new Refused(
            "operation", GUESTBOOK + "operation:\n  sync: {}\n", "operation: not supported"),
        new Refused("not an object", "- a\n- b\n", "must be an object"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void mistakesAreRefusedNamingTheField(Refused c) throws Exception {
    JsonNode input = YAML.read(c.yaml());
    assertThatThrownBy(() -> ApplicationManifest.read(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(c.message());
  }

  @Test
  void spellingDistance() {
    assertThat(ApplicationManifest.distance("path", "pth")).isEqualTo(1);
    assertThat(ApplicationManifest.distance("selfHeal", "selfheal")).isEqualTo(1);
    assertThat(ApplicationManifest.distance("", "abc")).isEqualTo(3);
  }
}
