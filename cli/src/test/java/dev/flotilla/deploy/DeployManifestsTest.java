package dev.flotilla.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in deploy/ is checked against the Kubernetes schemas in the build, so a typo fails
 * {@code mvn verify} instead of a rollout; and the shapes the README promises (three replicas with
 * a disruption budget on CloudNativePG, or one replica on a plain Postgres) are what kustomize
 * renders.
 */
class DeployManifestsTest {

  private static final Path DEPLOY = Path.of("").toAbsolutePath().getParent().resolve("deploy");
  private final ManifestValidator validator = new ManifestValidator();

  @Test
  void everyManifestInDeployFitsItsSchema() throws IOException {
    List<Path> manifests = manifests();
    assertThat(manifests).hasSizeGreaterThanOrEqualTo(5);
    List<String> errors = new ArrayList<>();
    for (Path file : manifests) {
      errors.addAll(validator.validate(DEPLOY.relativize(file).toString(), Files.readString(file)));
    }
    assertThat(errors).isEmpty();
  }

  @Test
  void kustomizationsNameOnlyWhatExists() throws IOException {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      for (Path k : files.filter(p -> p.endsWith("kustomization.yaml")).toList()) {
        JsonNode doc = ManifestValidator.documents(Files.readString(k)).get(0);
        assertThat(doc.path("kind").asText()).as(k.toString()).isEqualTo("Kustomization");
        doc.fieldNames()
            .forEachRemaining(
                f ->
                    assertThat(f)
                        .as("field of " + k)
                        .isIn("apiVersion", "kind", "resources", "patches"));
        for (JsonNode resource : doc.path("resources")) {
          assertThat(k.getParent().resolve(resource.asText()))
              .as(k + " names " + resource.asText())
              .exists();
        }
      }
    }
  }

  @Test
  void productionShapeIsThreeReplicasWithABudgetOnCloudNativePg() throws Exception {
    List<JsonNode> docs = kustomize(DEPLOY.resolve("kubernetes"));
    assertThat(validator.validate("kustomize deploy/kubernetes", toYaml(docs))).isEmpty();
    JsonNode deployment = only(docs, "Deployment", "flotilla-control-plane");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/resources/requests/memory").asText()).isNotEmpty();
    assertThat(deployment.at("/spec/template/spec/automountServiceAccountToken").asBoolean(true))
        .as("the control plane holds no cluster credentials")
        .isFalse();
    assertThat(
            only(docs, "PodDisruptionBudget", "flotilla-control-plane")
                .at("/spec/maxUnavailable")
                .asInt())
        .isEqualTo(1);
    assertThat(only(docs, "Cluster", "flotilla-postgres").at("/spec/instances").asInt())
        .isEqualTo(3);
    assertThat(only(docs, "Certificate", "flotilla").at("/spec/secretName").asText())
        .isEqualTo("flotilla-tls");
  }

  @Test
  void smallShapeIsOneReplicaOnOnePlainPostgres() throws Exception {
    List<JsonNode> docs = kustomize(DEPLOY.resolve("kubernetes/small"));
    assertThat(validator.validate("kustomize deploy/kubernetes/small", toYaml(docs))).isEmpty();
    assertThat(only(docs, "Deployment", "flotilla-control-plane").at("/spec/replicas").asInt())
        .isEqualTo(1);
    assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("PodDisruptionBudget"));
    assertThat(docs).noneMatch(d -> d.path("kind").asText().equals("Certificate"));
    assertThat(only(docs, "StatefulSet", "flotilla-postgres").at("/spec/replicas").asInt())
        .isEqualTo(1);
    assertThat(only(docs, "Secret", "flotilla-postgres-app").at("/stringData/uri").asText())
        .startsWith("postgresql://");
  }

  @Test
  void theAgentMayWriteOnlyTheKindsItNamesAndNeverEscalate() throws IOException {
    List<JsonNode> docs =
        ManifestValidator.documents(Files.readString(DEPLOY.resolve("kubernetes/agent.yaml")));
    for (JsonNode doc : docs) {
      String kind = doc.path("kind").asText();
      if (!kind.equals("ClusterRole") && !kind.equals("Role")) {
        continue;
      }
      for (JsonNode rule : doc.path("rules")) {
        List<String> verbs = texts(rule.path("verbs"));
        assertThat(verbs)
            .as(kind + " verbs")
            .doesNotContain("*", "escalate", "bind", "impersonate");
        boolean writes = verbs.stream().anyMatch(v -> !List.of("get", "list", "watch").contains(v));
        if (writes) {
          assertThat(texts(rule.path("resources"))).as("written resources").doesNotContain("*");
          assertThat(texts(rule.path("apiGroups"))).as("written groups").doesNotContain("*");
        }
      }
    }
  }

  @Test
  void flotillaContainersRunTheImagesEntrypoint() throws IOException {
    // Jib's images start with `java -cp @/app/jib-classpath-file MAIN`; there is no jar to -jar.
    for (Path file : manifests()) {
      for (JsonNode doc : ManifestValidator.documents(Files.readString(file))) {
        for (JsonNode c : doc.at("/spec/template/spec/containers")) {
          if (c.path("image").asText().startsWith("flotilla-")) {
            assertThat(c.has("command")).as(file + " container " + c.path("name")).isFalse();
          }
        }
      }
    }
  }

  @Test
  void aTypoInABuiltInKindIsRefusedWithItsPath() {
    List<String> errors =
        validator.validate(
            "typo.yaml",
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labelz: {a: b}}
            spec:
              replicsa: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: nginx
                      imagePullPolicyy: Always
            """);
    assertThat(errors)
        .hasSize(3)
        .anyMatch(e -> e.contains("spec.replicsa: unknown field"))
        .anyMatch(e -> e.contains("metadata.labelz: unknown field"))
        .anyMatch(e -> e.contains("containers[0].imagePullPolicyy: unknown field"))
        .allMatch(e -> e.startsWith("typo.yaml document 1 (Deployment web)"));
  }

  @Test
  void aWrongTypeOrAnUnknownKindIsRefused() {
    assertThat(
            validator.validate(
                "type.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: w}\nspec: {replicas: three}"))
        .singleElement()
        .asString()
        .contains("does not fit the Kubernetes model");
    assertThat(validator.validate("kind.yaml", "apiVersion: example.com/v1\nkind: Widget\n"))
        .singleElement()
        .asString()
        .contains("unknown kind example.com/v1/Widget");
    assertThat(validator.validate("bare.yaml", "name: x\n"))
        .singleElement()
        .asString()
        .contains("needs apiVersion and kind");
  }

  @Test
  void aTypoInAnOperatorsKindIsRefusedWithItsPath() {
    List<String> errors =
        validator.validate(
            "cnpg.yaml",
            """
            apiVersion: postgresql.cnpg.io/v1
            kind: Cluster
            metadata: {name: pg}
            spec:
              instancess: 3
              storage: {size: 10Gi}
              primaryUpdateStrategy: sometimes
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: c}
            spec:
              dnsNames: [a.example.com]
              issuerRef: {name: i}
            """);
    assertThat(errors)
        .anyMatch(e -> e.contains("(Cluster pg): spec.instancess: unknown field"))
        .anyMatch(e -> e.contains("spec.primaryUpdateStrategy: 'sometimes' is not one of"))
        .anyMatch(e -> e.contains("(Cluster pg): spec.instances: required field missing"))
        .anyMatch(e -> e.contains("(Certificate c): spec.secretName: required field missing"))
        .hasSize(4);
  }

  private static List<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(p -> !p.endsWith("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }

  /** {@code kubectl kustomize DIR}: kubectl v1.32 is on our machines' image; skipped without it. */
  private static List<JsonNode> kustomize(Path dir) throws Exception {
    Process process;
    try {
      process =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      assumeTrue(false, "kubectl is not on PATH: " + e.getMessage());
      throw e;
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize " + dir).isZero();
    return ManifestValidator.documents(out);
  }

  private static String toYaml(List<JsonNode> docs) {
    StringBuilder out = new StringBuilder();
    for (JsonNode doc : docs) {
      out.append("---\n").append(doc.toString()).append('\n');
    }
    return out.toString();
  }

  private static JsonNode only(List<JsonNode> docs, String kind, String name) {
    List<JsonNode> found =
        docs.stream()
            .filter(d -> d.path("kind").asText().equals(kind))
            .filter(d -> d.at("/metadata/name").asText().equals(name))
            .toList();
    assertThat(found).as(kind + " " + name).hasSize(1);
    return found.get(0);
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
