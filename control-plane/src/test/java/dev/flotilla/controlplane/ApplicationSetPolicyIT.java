package dev.flotilla.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.application.StoredApplication;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * applicationsSync policies, the server-wide override and the empty-generation guard, on real
 * Postgres.
 */
class ApplicationSetPolicyIT {

  @TempDir Path home;

  /**
   * @param ownPolicy the ApplicationSet's syncPolicy.applicationsSync, or null
   * @param serverPolicy --appset-policy, or null
   * @param override --appset-policy-override, or null for the default
   * @param updated whether a changed element updates its Application
   * @param deleted whether a removed element deletes its Application
   */
  record Case(
      String name,
      String ownPolicy,
      String serverPolicy,
      Boolean override,
      boolean updated,
      boolean deleted) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("default is sync", null, null, null, true, true),
        new Case("sync", "sync", null, null, true, true),
        new Case("create-only", "create-only", null, null, false, false),
        new Case("create-update", "create-update", null, null, true, false),
        new Case("create-delete", "create-delete", null, null, false, true),
        new Case("server create-only wins by default", "sync", "create-only", null, false, false),
        new Case("server create-only, override allowed", "sync", "create-only", true, true, true),
        new Case(
            "server policy applies when the set has none",
            null,
            "create-update",
            true,
            true,
            false));
  }

  private static String appSet(String policy, String... elements) {
    String items =
        Stream.of(elements)
            .map(
                e -> "          - {app: " + e.split(":")[0] + ", v: \"" + e.split(":")[1] + "\"}\n")
            .collect(Collectors.joining());
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: policy
        spec:
        %s  generators:
            - list:
                elements:
        %s  template:
            metadata:
              name: '{{app}}'
              labels:
                version: '{{v}}'
            spec:
              project: default
              source:
                repoURL: https://example.invalid/repo.git
                path: '{{app}}'
              destination:
                name: nowhere
                namespace: '{{app}}'
        """
        .formatted(
            policy == null ? "" : "  syncPolicy:\n    applicationsSync: " + policy + "\n", items);
  }

  private static Map<String, String> versions(ControlPlane cp) throws Exception {
    return cp
        .applications()
        .listByApplicationSet("policy")
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS)
        .stream()
        .collect(
            Collectors.toMap(
                StoredApplication::name,
                a ->
                    a.document()
                        .getJsonObject("metadata")
                        .getJsonObject("labels")
                        .getString("version")));
  }

  private static void apply(ControlPlane cp, String yaml) throws Exception {
    cp.controller().apply(yaml).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void policyDecidesWhatGenerationMayChange(Case c) throws Exception {
    ControlPlaneConfig config =
        ControlPlaneConfig.defaults(home)
            .withListen("127.0.0.1", 0, 0)
            .withAppSetPolicy(c.serverPolicy(), c.override());
    try (ControlPlane cp = ControlPlane.start(config, TestDatabases.fresh())) {
      apply(cp, appSet(c.ownPolicy(), "a:1", "b:1"));
      assertThat(versions(cp)).containsOnly(Map.entry("a", "1"), Map.entry("b", "1"));

      apply(cp, appSet(c.ownPolicy(), "a:2", "c:1"));
      Map<String, String> after = versions(cp);
      assertThat(after).as("new elements are always created").containsEntry("c", "1");
      assertThat(after.get("a")).isEqualTo(c.updated() ? "2" : "1");
      assertThat(after.containsKey("b")).isEqualTo(!c.deleted());
    }
  }

  @Test
  void aGenerationThatSuddenlyYieldsNothingDeletesNothingUnlessAllowed() throws Exception {
    try (ControlPlane cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            TestDatabases.fresh())) {
      apply(cp, appSet(null, "a:1", "b:1"));
      String empty = appSet(null).replace("elements:\n", "elements: []\n");
      apply(cp, empty);
      assertThat(versions(cp)).containsOnlyKeys("a", "b");
      var status =
          cp.applicationSets()
              .get("policy")
              .toCompletionStage()
              .toCompletableFuture()
              .get()
              .orElseThrow()
              .status();
      assertThat(status.getJsonArray("notes").encode())
          .contains("kept all 2")
          .contains("allow-empty-generation");

      apply(
          cp,
          empty.replace(
              "  name: policy\n",
              "  name: policy\n  annotations:\n    flotilla.dev/allow-empty-generation: \"true\"\n"));
      assertThat(versions(cp)).isEmpty();
    }
  }

  @Test
  void anUnknownPolicyIsRefused() throws Exception {
    try (ControlPlane cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            TestDatabases.fresh())) {
      assertThatThrownBy(() -> apply(cp, appSet("delete-everything", "a:1")))
          .hasMessageContaining("spec.syncPolicy.applicationsSync")
          .hasMessageContaining("delete-everything");
      assertThat(versions(cp)).isEmpty();
    }
  }
}
