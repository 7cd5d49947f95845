package dev.flotilla.core.glob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.glob.Glob.Mode;
import dev.flotilla.core.regex.RegexBudgetExceededException;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class GlobTest {

  record Case(Mode mode, String glob, String text, boolean matches) {
    @Override
    public String toString() {
      return mode
          + ": '"
          + glob
          + "'"
          + (matches ? " matches '" : " does not match '")
          + text
          + "'";
    }
  }

  /** Go's path.Match, as the git directory generator uses it. */
  static Stream<Case> pathSegment() {
    Mode m = Mode.PATH_SEGMENT;
    return Stream.of(
        new Case(m, "apps/*", "apps/billing", true),
        new Case(m, "apps/*", "apps/billing/base", false),
        new Case(m, "apps/*", "apps/", true),
        new Case(m, "*", "", true),
        new Case(m, "apps/?", "apps/a", true),
        new Case(m, "a?c", "a/c", false),
        new Case(m, "apps/[ab]*", "apps/a1", true),
        new Case(m, "apps/[ab]*", "apps/c1", false),
        new Case(m, "[a-c]", "b", true),
        new Case(m, "[a-c]", "d", false),
        new Case(m, "[!a]", "b", true),
        new Case(m, "[^a]", "a", false),
        new Case(m, "[^a]", "/", false),
        new Case(m, "a\\*b", "a*b", true),
        new Case(m, "a\\*b", "axb", false),
        new Case(m, "a.b", "axb", false),
        new Case(m, "apps/**", "apps/x/y", false),
        new Case(m, "[]a]", "]", true));
  }

  /** Git pathspecs, as the git files generator uses them. */
  static Stream<Case> pathGreedy() {
    Mode m = Mode.PATH_GREEDY;
    return Stream.of(
        new Case(m, "apps/*.yaml", "apps/a.yaml", true),
        new Case(m, "apps/*.yaml", "apps/x/y.yaml", true),
        new Case(m, "apps/*.yaml", "apps/x/y.json", false),
        new Case(m, "config/**", "config/dev/config.json", true),
        new Case(m, "config/*/config.*", "config/dev/config.json", true),
        new Case(m, "config/*/config.*", "other/dev/config.json", false),
        new Case(m, "?", "/", true),
        new Case(m, "[^a]", "/", false),
        new Case(m, "a\\?", "a?", true),
        new Case(m, "a\\?", "ab", false));
  }

  /** AppProject destinations, namespaces and sync windows: no separator. */
  static Stream<Case> project() {
    Mode m = Mode.PROJECT;
    return Stream.of(
        new Case(m, "*", "anything/with/slashes", true),
        new Case(m, "*", "", true),
        new Case(m, "team-*", "team-a", true),
        new Case(m, "team-*", "kube-system", false),
        new Case(m, "https://10.0.*", "https://10.0.0.1", true),
        new Case(m, "prod-*", "prod-eu", true),
        new Case(m, "*/x", "a/b/x", true),
        new Case(m, "?", "ab", false),
        new Case(m, "a**b", "a/x/b", true),
        new Case(m, "{a,b}-x", "b-x", true),
        new Case(m, "{a,b}-x", "c-x", false),
        new Case(m, "[!k]*", "apps", true),
        new Case(m, "[!k]*", "kube-system", false),
        new Case(m, "a,b", "a,b", true),
        new Case(m, "a\\*", "a*", true),
        new Case(m, "a\\*", "ab", false),
        // Patterns that do not compile are compared literally, as in Argo CD.
        new Case(m, "a}b", "a}b", true),
        new Case(m, "a}b", "ab", false),
        new Case(m, "{a", "{a", true),
        new Case(m, "[ab", "[ab", true));
  }

  /** AppProject sourceRepos: '/' separates, '**' crosses. */
  static Stream<Case> projectRepo() {
    Mode m = Mode.PROJECT_REPO;
    return Stream.of(
        new Case(m, "*", "https://github.com/org/app.git", true),
        new Case(m, "https://github.com/*", "https://github.com/org/app", false),
        new Case(m, "https://github.com/org/*", "https://github.com/org/app", true),
        new Case(m, "https://github.com/**", "https://github.com/org/app", true),
        new Case(m, "https://{github,gitlab}.com/org/*", "https://gitlab.com/org/x", true),
        new Case(m, "https://{github,gitlab}.com/org/*", "https://bitbucket.com/org/x", false),
        new Case(m, "https://github.com/org/internal-*", "https://github.com/org/internal-x", true),
        new Case(m, "a?b", "a/b", false),
        new Case(m, "a?b", "a-b", true));
  }

  /** RBAC policy lines. */
  static Stream<Case> rbac() {
    Mode m = Mode.RBAC;
    return Stream.of(
        new Case(m, "*", "", true),
        new Case(m, "*", "a/b/c", true),
        new Case(m, "*/*", "proj/app", true),
        new Case(m, "*/*", "projapp", false),
        new Case(m, "proj/*", "proj/", true),
        new Case(m, "proj/*", "proj", false),
        new Case(m, "proj/*-db", "proj/prod-db", true),
        new Case(m, "proj/*-db", "proj/prod-db2", false),
        new Case(m, "a*b*c", "aXXbYYc", true),
        new Case(m, "a*b*c", "aXXbYY", false),
        new Case(m, "a?c", "abc", true),
        new Case(m, "a?c", "ac", false),
        new Case(m, "exact", "exact", true),
        new Case(m, "exact", "exact2", false),
        new Case(m, "", "", true),
        new Case(m, "", "x", false),
        new Case(m, "[ab]", "a", false),
        new Case(m, "[ab]", "[ab]", true),
        new Case(m, "**", "anything", true));
  }

  /** An Application's directory.include/exclude. */
  static Stream<Case> renderFile() {
    Mode m = Mode.RENDER_FILE;
    return Stream.of(
        new Case(m, "*.yaml", "a.yaml", true),
        new Case(m, "*.yaml", "a.json", false),
        new Case(m, "*.yaml", "sub/a.yaml", true), // as in Argo: * crosses directories
        new Case(m, "{config.json,env-usw2/*}", "config.json", true),
        new Case(m, "{config.json,env-usw2/*}", "env-usw2/x.yaml", true),
        new Case(m, "{config.json,env-usw2/*}", "env-euw1/x.yaml", false),
        new Case(m, "deploy-?.yaml", "deploy-1.yaml", true),
        new Case(m, "deploy-[ab].yaml", "deploy-b.yaml", true),
        new Case(m, "deploy-[!ab].yaml", "deploy-b.yaml", false),
        new Case(m, "a.b.yaml", "axb.yaml", false),
        new Case(m, "{a,b", "b", true), // an unclosed brace is closed
        new Case(m, "a}", "a}", true),
        new Case(m, "[ab", "[ab", true)); // an unclosed class is literal
  }

  /** AppProject resource lists: Go's filepath.Match. */
  static Stream<Case> resource() {
    Mode m = Mode.RESOURCE;
    return Stream.of(
        new Case(m, "*", "", true),
        new Case(m, "*", "anything", true),
        new Case(m, "*", "a/b", true),
        new Case(m, "", "", true),
        new Case(m, "", "x", false),
        new Case(m, "Deploy*", "Deployment", true),
        new Case(m, "*ment", "Deployment", true),
        new Case(m, "D*l*y*t", "Deployment", true),
        new Case(m, "D*x*t", "Deployment", false),
        new Case(m, "?onfigMap", "ConfigMap", true),
        new Case(m, "?", "", false),
        new Case(m, "[CS]ecret", "Secret", true),
        new Case(m, "[^CS]ecret", "Secret", false),
        new Case(m, "[a-z]*", "apps", true),
        new Case(m, "[a-z]*", "Apps", false),
        new Case(m, "\\*", "*", true),
        new Case(m, "\\*", "x", false),
        new Case(m, "a*", "a/b", false),
        new Case(m, "*.k8s.io", "rbac.authorization.k8s.io", true),
        new Case(m, "*.k8s.io", "example.com", false),
        new Case(m, "*a*a*a*a*a*a*a*a*a*a*a*b", "a".repeat(250), false));
  }

  static Stream<Case> cases() {
    return Stream.of(
            pathSegment(), pathGreedy(), project(), projectRepo(), rbac(), renderFile(), resource())
        .flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesAsEachCallerDoes(Case c) {
    assertThat(Glob.compile(c.glob(), c.mode()).matches(c.text())).isEqualTo(c.matches());
    assertThat(Glob.matches(c.glob(), c.text(), c.mode(), false)).isEqualTo(c.matches());
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"PATH_SEGMENT", "PATH_GREEDY"})
  void pathModesRefuseMalformedPatternsNamingTheProblem(Mode mode) {
    assertThatThrownBy(() -> Glob.compile("apps\\", mode))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pattern ends with a lone '\\'");
    assertThatThrownBy(() -> Glob.compile("apps/[ab", mode))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unterminated '[' in pattern");
    assertThatThrownBy(() -> Glob.compile("[]", mode))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unterminated '[' in pattern");
    assertThatThrownBy(() -> Glob.compile("[z-a]", mode))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad pattern: ");
  }

  @Test
  void resourceModeNamesMalformedPatterns() {
    assertThat(Glob.error("[abc", Mode.RESOURCE)).contains("unclosed '[' at position 0");
    assertThat(Glob.error("a\\", Mode.RESOURCE)).contains("trailing '\\' escapes nothing");
    assertThat(Glob.error("[]", Mode.RESOURCE)).isPresent();
    assertThat(Glob.error("[", Mode.RESOURCE)).isPresent();
    assertThat(Glob.error("apps", Mode.RESOURCE)).isEmpty();
    assertThat(Glob.error("[^a-z]*", Mode.RESOURCE)).isEmpty();
    assertThatThrownBy(() -> Glob.compile("[abc", Mode.RESOURCE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unclosed '[' at position 0");
    assertThat(Glob.error("a}b[", Mode.PROJECT)).as("compared literally, never refused").isEmpty();
  }

  @Test
  void renderFileRefusesAClassJavaCannotCompile() {
    assertThatThrownBy(() -> Glob.compile("[]", Mode.RENDER_FILE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = Mode.class,
      names = {"PATH_GREEDY", "PROJECT", "RENDER_FILE"})
  void aPatternTooExpensiveOnSomeTextIsStoppedByTheBudget(Mode mode) {
    String glob = "*a".repeat(12) + "b";
    String text = "a".repeat(200);
    Glob compiled = Glob.compile(glob, mode);

    assertThatThrownBy(() -> compiled.matches(text))
        .isInstanceOf(RegexBudgetExceededException.class)
        .hasMessageStartingWith("pattern too expensive on this input");
    assertThat(compiled.matches(text, false)).as("an allow entry allows nothing").isFalse();
    assertThat(compiled.matches(text, true)).as("a deny entry denies").isTrue();
    assertThat(Glob.matches(glob, text, mode, true)).isTrue();
  }

  @Test
  void rbacNeedsNoBudgetForAHostilePattern() {
    String pattern = "*a".repeat(500) + "b";
    String text = "a".repeat(5000);
    long start = System.nanoTime();
    assertThat(Glob.compile(pattern, Mode.RBAC).matches(text)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void keepsItsPatternAndMode() {
    Glob glob = Glob.compile("apps/*", Mode.PATH_SEGMENT);
    assertThat(glob).hasToString("apps/*");
    assertThat(glob.mode()).isEqualTo(Mode.PATH_SEGMENT);
  }
}
