package dev.flotilla.render.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The source shapes Argo CD accepts for charts, and what is refused, naming the field. */
class ChartSourceTest {

  record Case(String name, String repoUrl, String chart, String revision, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("a Git source", "https://git.example/infra.git", "", "main", "git"),
        new Case("a Git source over SSH", "git@git.example:infra.git", null, "HEAD", "git"),
        new Case(
            "a Helm repository",
            "https://charts.example/stable/",
            "web",
            "1.2.*",
            "HELM_REPOSITORY https://charts.example/stable web"),
        new Case(
            "an OCI chart itself",
            "oci://registry.example:5000/team/charts/web",
            "",
            "1.0.0",
            "OCI registry.example:5000/team/charts/web web"),
        new Case(
            "an OCI path plus chart",
            "oci://registry.example/charts",
            "web",
            "^1",
            "OCI registry.example/charts/web web"),
        new Case(
            "Argo CD's scheme-less OCI form",
            "registry.example/charts",
            "web",
            "",
            "OCI registry.example/charts/web web"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsTheShape(Case c) {
    String got =
        ChartSource.of(c.repoUrl(), c.chart(), c.revision())
            .map(s -> s.kind() + " " + s.repository() + " " + s.chart())
            .orElse("git");
    assertThat(got).isEqualTo(c.expected());
  }

  static Stream<Case> refused() {
    return Stream.of(
        new Case("no repoURL", "", "web", "1.0.0", "spec.source.chart needs spec.source.repoURL"),
        new Case(
            "a chart name with a path",
            "https://charts.example",
            "../web",
            "1.0.0",
            "spec.source.chart '../web' is not a chart name"),
        new Case(
            "a branch as the version",
            "https://charts.example",
            "web",
            "main",
            "spec.source.targetRevision of chart web must be a chart version or constraint"),
        new Case(
            "credentials in the URL",
            "https://user:secret@charts.example",
            "web",
            "1.0.0",
            "spec.source.repoURL must not carry credentials"),
        new Case(
            "a Helm repository without a chart name",
            "oci://registry.example",
            "",
            "1.0.0",
            "is not an OCI chart reference"),
        new Case(
            "an upper-case OCI path",
            "oci://registry.example/Charts",
            "web",
            "1.0.0",
            "is not an OCI chart reference"),
        new Case(
            "a Git SSH URL with a chart",
            "ssh://git@git.example/infra.git",
            "web",
            "1.0.0",
            "spec.source.chart needs a Helm repository (https://...) or an OCI registry"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesNamingTheField(Case c) {
    assertThatThrownBy(() -> ChartSource.of(c.repoUrl(), c.chart(), c.revision()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(c.expected())
        .message()
        .doesNotContain("secret");
  }
}
