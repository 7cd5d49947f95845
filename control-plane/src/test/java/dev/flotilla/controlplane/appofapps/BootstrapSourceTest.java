package dev.flotilla.controlplane.appofapps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BootstrapSourceTest {

  record Case(String value, String url, String revision, String path) {
    @Override
    public String toString() {
      return value;
    }
  }

  static Stream<Case> valid() {
    return Stream.of(
        new Case(
            "https://git.example/infra.git:apps", "https://git.example/infra.git", "HEAD", "apps"),
        new Case(
            "https://git.example/infra.git@v1.2:clusters/prod",
            "https://git.example/infra.git",
            "v1.2",
            "clusters/prod"),
        new Case(
            "https://git.example:8443/infra.git@main:.",
            "https://git.example:8443/infra.git",
            "main",
            "."),
        new Case(
            "https://bot@git.example/infra.git:apps",
            "https://bot@git.example/infra.git",
            "HEAD",
            "apps"),
        new Case(
            "git@github.com:org/infra.git:apps", "git@github.com:org/infra.git", "HEAD", "apps"),
        new Case(
            "git@github.com:org/infra.git@release:apps",
            "git@github.com:org/infra.git",
            "release",
            "apps"),
        new Case("file:///srv/git/infra:bootstrap", "file:///srv/git/infra", "HEAD", "bootstrap"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void parses(Case c) {
    BootstrapSource s = BootstrapSource.parse(c.value(), "--bootstrap");

    assertThat(s).isEqualTo(new BootstrapSource(c.url(), c.revision(), c.path()));
  }

  record Bad(String value, String why) {
    @Override
    public String toString() {
      return value + " -> " + why;
    }
  }

  static Stream<Bad> malformed() {
    return Stream.of(
        new Bad("", "it is empty"),
        new Bad("https://git.example/infra.git", "no ':PATH' after the repository URL"),
        new Bad("https://git.example/infra.git:", "the path after ':' is empty"),
        new Bad("https://git.example/infra.git@:apps", "the revision after '@' is empty"),
        new Bad("https://git.example/infra.git:/etc", "must be relative"),
        new Bad("https://git.example/infra.git:apps/../../x", "stay inside the repository"),
        new Bad("infra:apps", "no ':PATH' after the repository URL"),
        new Bad("ftp://git.example/infra:apps", "is not a repository URL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refusesNamingTheOriginTheFormAndTheProblem(Bad b) {
    assertThatThrownBy(() -> BootstrapSource.parse(b.value(), "FLOTILLA_BOOTSTRAP"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "FLOTILLA_BOOTSTRAP '" + b.value() + "' is not REPO_URL[@REVISION]:PATH: ")
        .hasMessageContaining(b.why());
  }
}
