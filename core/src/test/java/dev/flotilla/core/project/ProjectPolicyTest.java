package dev.flotilla.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.project.ProjectPolicy.Destination;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProjectPolicyTest {

  record Case(String name, List<String> patterns, String value, boolean permitted) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> sourceCases() {
    return Stream.of(
        new Case("star allows all", List.of("*"), "https://github.com/org/app.git", true),
        new Case(
            "exact match ignoring .git and case",
            List.of("https://GitHub.com/org/app"),
            "https://github.com/org/app.git",
            true),
        new Case(
            "star stops at slash",
            List.of("https://github.com/*"),
            "https://github.com/org/app",
            false),
        new Case(
            "star within a segment",
            List.of("https://github.com/org/*"),
            "https://github.com/org/app",
            true),
        new Case(
            "double star crosses slashes",
            List.of("https://github.com/**"),
            "https://github.com/org/app",
            true),
        new Case("no entries deny", List.of(), "https://github.com/org/app", false),
        new Case(
            "deny wins over allow",
            List.of("*", "!https://github.com/org/secret"),
            "https://github.com/org/secret",
            false),
        new Case(
            "deny does not hit others",
            List.of("*", "!https://github.com/org/secret"),
            "https://github.com/org/app",
            true),
        new Case(
            "a lone deny allows the rest (Argo)",
            List.of("!https://github.com/org/secret"),
            "https://github.com/org/app",
            true),
        new Case(
            "deny glob",
            List.of("https://github.com/org/*", "!https://github.com/org/internal-*"),
            "https://github.com/org/internal-x",
            false),
        new Case(
            "alternatives",
            List.of("https://{github,gitlab}.com/org/*"),
            "https://gitlab.com/org/x",
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sourceCases")
  void sourceRepos(Case c) {
    assertThat(new ProjectPolicy("p", c.patterns(), List.of()).isSourcePermitted(c.value()))
        .isEqualTo(c.permitted());
  }

  record DestinationCase(
      String name, List<Destination> allowed, Destination target, boolean permitted) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<DestinationCase> destinationCases() {
    return Stream.of(
        new DestinationCase(
            "any",
            List.of(new Destination("*", "*", "*")),
            new Destination("https://a", "", "ns"),
            true),
        new DestinationCase(
            "server and namespace glob",
            List.of(new Destination("https://10.0.*", "", "team-*")),
            new Destination("https://10.0.0.1", "", "team-a"),
            true),
        new DestinationCase(
            "namespace mismatch",
            List.of(new Destination("https://10.0.*", "", "team-*")),
            new Destination("https://10.0.0.1", "", "kube-system"),
            false),
        new DestinationCase(
            "by name",
            List.of(new Destination("", "prod-*", "*")),
            new Destination("", "prod-eu", "x"),
            true),
        new DestinationCase(
            "deny namespace wins",
            List.of(new Destination("*", "*", "*"), new Destination("*", "*", "!kube-system")),
            new Destination("https://a", "", "kube-system"),
            false),
        new DestinationCase(
            "deny namespace lets others through",
            List.of(new Destination("*", "*", "*"), new Destination("*", "*", "!kube-system")),
            new Destination("https://a", "", "apps"),
            true),
        new DestinationCase(
            "deny server",
            List.of(new Destination("*", "", "*"), new Destination("!https://prod", "", "*")),
            new Destination("https://prod", "", "apps"),
            false),
        new DestinationCase(
            "no destinations", List.of(), new Destination("https://a", "", "ns"), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("destinationCases")
  void destinations(DestinationCase c) {
    assertThat(new ProjectPolicy("p", List.of("*"), c.allowed()).isDestinationPermitted(c.target()))
        .isEqualTo(c.permitted());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violationCases")
  void violations(String name, String project, String repo, String namespace, String expected)
      throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ProjectPolicy policy =
        ProjectPolicy.fromAppProject(
            mapper.readTree(
                "{\"metadata\":{\"name\":\"team-a\"},\"spec\":{\"sourceRepos\":[\"https://git.example.com/team-a/*\"],"
                    + "\"destinations\":[{\"server\":\"https://kubernetes.default.svc\",\"namespace\":\"team-a-*\"}]}}"));
    ObjectNode document =
        (ObjectNode)
            mapper.readTree(
                "{\"metadata\":{\"name\":\"app\"},\"spec\":{\"project\":\""
                    + project
                    + "\",\"source\":{\"repoURL\":\""
                    + repo
                    + "\"},\"destination\":{\"server\":\"https://kubernetes.default.svc\",\"namespace\":\""
                    + namespace
                    + "\"}}}");
    var violation = policy.violation(ApplicationPlacement.of("app", document.path("spec")));
    if (expected.isEmpty()) {
      assertThat(violation).isEmpty();
    } else {
      assertThat(violation).hasValueSatisfying(v -> assertThat(v).contains(expected));
    }
  }

  @org.junit.jupiter.api.Test
  void resolvesClusterNamesToServers() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ProjectPolicy policy =
        new ProjectPolicy("p", List.of("*"), List.of(new Destination("https://10.0.0.1", "", "*")));
    ObjectNode document =
        (ObjectNode)
            mapper.readTree(
                "{\"metadata\":{\"name\":\"app\"},\"spec\":{\"project\":\"p\",\"source\":{\"repoURL\":\"https://x\"},"
                    + "\"destination\":{\"name\":\"prod-eu\",\"namespace\":\"web\"}}}");
    ApplicationPlacement app = ApplicationPlacement.of("app", document.path("spec"));
    assertThat(policy.violations(app)).hasSize(1);
    assertThat(policy.violations(app, java.util.Map.of("prod-eu", "https://10.0.0.1"))).isEmpty();
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> violationCases() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of(
            "allowed", "team-a", "https://git.example.com/team-a/app.git", "team-a-web", ""),
        org.junit.jupiter.params.provider.Arguments.of(
            "other project",
            "team-b",
            "https://git.example.com/team-a/app.git",
            "team-a-web",
            "belongs to project 'team-b', not 'team-a'"),
        org.junit.jupiter.params.provider.Arguments.of(
            "repo outside",
            "team-a",
            "https://git.example.com/team-b/app.git",
            "team-a-web",
            "source repository 'https://git.example.com/team-b/app.git' is not permitted"),
        org.junit.jupiter.params.provider.Arguments.of(
            "namespace outside",
            "team-a",
            "https://git.example.com/team-a/app.git",
            "kube-system",
            "namespace 'kube-system') is not permitted"));
  }
}
