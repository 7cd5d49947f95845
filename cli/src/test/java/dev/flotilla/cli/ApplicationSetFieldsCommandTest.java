package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** The merge patch `app set` sends for argocd's flags, against the Application's current spec. */
class ApplicationSetFieldsCommandTest {

  static final String CURRENT =
      """
      {"project":"default",
       "source":{"repoURL":"https://git.example/a.git","path":"a","targetRevision":"main",
                 "helm":{"parameters":[{"name":"image.tag","value":"v1"}]},
                 "kustomize":{"images":["nginx:1.25","redis=redis:7"]}},
       "destination":{"server":"https://kubernetes.default.svc","namespace":"a"},
       "syncPolicy":{"automated":{"prune":true},"syncOptions":["CreateNamespace=true"]}}
      """;

  record Case(String name, String[] args, String patch) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Case c(String name, String patch, String... args) {
    return new Case(name, args, patch);
  }

  static Stream<Case> cases() {
    return Stream.of(
        c(
            "source fields",
            "{\"source\":{\"targetRevision\":\"v2\",\"path\":\"b\",\"repoURL\":\"r\"}}",
            "--revision",
            "v2",
            "--path",
            "b",
            "--repo",
            "r"),
        c(
            "destination by name drops the server",
            "{\"destination\":{\"name\":\"east\",\"server\":null,\"namespace\":\"n\"}}",
            "--dest-name",
            "east",
            "--dest-namespace",
            "n"),
        c("project", "{\"project\":\"team-a\"}", "--project", "team-a"),
        c("manual sync", "{\"syncPolicy\":{\"automated\":null}}", "--sync-policy", "none"),
        c(
            "self-heal on automated",
            "{\"syncPolicy\":{\"automated\":{\"selfHeal\":true}}}",
            "--self-heal"),
        c(
            "auto-prune off",
            "{\"syncPolicy\":{\"automated\":{\"prune\":false}}}",
            "--auto-prune=false"),
        c(
            "sync options are added and removed",
            "{\"syncPolicy\":{\"syncOptions\":[\"PruneLast=true\"]}}",
            "--sync-option",
            "PruneLast=true",
            "--sync-option",
            "!CreateNamespace=true"),
        c(
            "helm values and parameters merge by name",
            "{\"source\":{\"helm\":{\"valueFiles\":[\"values-prod.yaml\"],\"parameters\":"
                + "[{\"name\":\"image.tag\",\"value\":\"v2\"},{\"name\":\"replicas\",\"value\":\"3\"}]}}}",
            "--values",
            "values-prod.yaml",
            "--helm-set",
            "image.tag=v2",
            "--helm-set",
            "replicas=3"),
        c(
            "kustomize images replace the same image",
            "{\"source\":{\"kustomize\":{\"images\":[\"nginx:1.27\",\"redis=redis:7\",\"busybox:1\"]}}}",
            "--kustomize-image",
            "nginx:1.27",
            "--kustomize-image",
            "busybox:1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void flagsBecomeAMergePatch(Case c) throws Exception {
    ApplicationSetFieldsCommand cmd = parse(c.args());
    assertThat(cmd.patch(new JsonObject(CURRENT))).isEqualTo(new JsonObject(c.patch()));
  }

  record Refused(String name, String message, String[] args) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refused> refused() {
    return Stream.of(
        new Refused(
            "both destinations",
            "--dest-server or --dest-name, not both",
            new String[] {"--dest-server", "https://x", "--dest-name", "x"}),
        new Refused(
            "unknown sync policy",
            "--sync-policy: must be automated or none",
            new String[] {"--sync-policy", "sometimes"}),
        new Refused("bad helm-set", "expected NAME=VALUE", new String[] {"--helm-set", "novalue"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void mistakesAreNamed(Refused c) {
    ApplicationSetFieldsCommand cmd = parse(c.args());
    assertThatThrownBy(() -> cmd.patch(new JsonObject(CURRENT)))
        .isInstanceOf(CliException.class)
        .hasMessageContaining(c.message());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void imageNames(String override, String name) {
    assertThat(ApplicationSetFieldsCommand.imageName(override)).isEqualTo(name);
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> images() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("nginx:1.27", "nginx"),
        org.junit.jupiter.params.provider.Arguments.of("redis=redis:7", "redis"),
        org.junit.jupiter.params.provider.Arguments.of("registry:5000/app:1", "registry:5000/app"),
        org.junit.jupiter.params.provider.Arguments.of("app@sha256:abc", "app"));
  }

  private static ApplicationSetFieldsCommand parse(String... flags) {
    ApplicationSetFieldsCommand cmd = new ApplicationSetFieldsCommand();
    String[] args = new String[flags.length + 1];
    args[0] = "guestbook";
    System.arraycopy(flags, 0, args, 1, flags.length);
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }
}
