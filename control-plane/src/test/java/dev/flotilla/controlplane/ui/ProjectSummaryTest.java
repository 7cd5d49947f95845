package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProjectSummaryTest {

  private static final Instant NOON = Instant.parse("2026-12-05T12:00:00Z");

  record Case(String name, String spec, ProjectSummary expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "empty spec",
            "{}",
            new ProjectSummary("p", "", List.of(), List.of(), List.of(), List.of(), List.of(), "")),
        new Case(
            "repos, destinations by name or server, rules, roles",
            """
            {"description": "web team", "sourceRepos": ["https://git.example/web/*"],
             "destinations": [{"name": "east", "namespace": "web-*"},
                              {"server": "https://k.example"}],
             "clusterResourceWhitelist": [{"group": "", "kind": "Namespace"}],
             "namespaceResourceBlacklist": [{"group": "apps", "kind": "DaemonSet"}],
             "roles": [{"name": "ci"}, {"name": "viewer"}]}
            """,
            new ProjectSummary(
                "p",
                "web team",
                List.of("https://git.example/web/*"),
                List.of("east / web-*", "https://k.example / *"),
                List.of("cluster Whitelist: Namespace", "namespace Blacklist: apps/DaemonSet"),
                List.of("ci", "viewer"),
                List.of(),
                "")),
        new Case(
            "a window open at noon and one that is not",
            """
            {"syncWindows": [
              {"kind": "deny", "schedule": "0 11 * * *", "duration": "2h", "applications": ["*"]},
              {"kind": "allow", "schedule": "0 22 * * *", "duration": "1h", "applications": ["*"]}]}
            """,
            new ProjectSummary(
                "p",
                "",
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(
                    new ProjectSummary.Window("deny '0 11 * * *' (2h)", true),
                    new ProjectSummary.Window("allow '0 22 * * *' (1h)", false)),
                "")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsTheStoredDocument(Case c) {
    JsonObject doc =
        new JsonObject()
            .put("metadata", new JsonObject().put("name", "p"))
            .put("spec", new JsonObject(c.spec()));
    assertThat(ProjectSummary.of(doc, NOON)).isEqualTo(c.expected());
  }
}
