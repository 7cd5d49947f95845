package dev.flotilla.agent.reconcile.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GlobTest {

  record Case(String glob, String path, boolean matches) {
    @Override
    public String toString() {
      return glob + (matches ? " matches " : " does not match ") + path;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("*.yaml", "a.yaml", true),
        new Case("*.yaml", "a.json", false),
        new Case("*.yaml", "sub/a.yaml", true), // as in Argo: * crosses directories
        new Case("{config.json,env-usw2/*}", "config.json", true),
        new Case("{config.json,env-usw2/*}", "env-usw2/x.yaml", true),
        new Case("{config.json,env-usw2/*}", "env-euw1/x.yaml", false),
        new Case("deploy-?.yaml", "deploy-1.yaml", true),
        new Case("deploy-[ab].yaml", "deploy-b.yaml", true),
        new Case("deploy-[!ab].yaml", "deploy-b.yaml", false),
        new Case("a.b.yaml", "axb.yaml", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesLikeArgoCd(Case c) {
    assertThat(Glob.compile(c.glob()).matches(c.path())).isEqualTo(c.matches());
  }
}
