package dev.flotilla.generators;

import static dev.flotilla.generators.Fixtures.assertResult;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Inputs written to hurt: each is refused with a located error, and the rest still renders. */
class HostileInputTest {

  static final String REPO = "https://git.example.com/hostile.git";
  static final String BOMB =
      "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
          + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
          + "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";

  record Case(
      String name,
      String generators,
      InMemoryInputs inputs,
      Map<String, Map<String, String>> apps,
      List<String> errors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static String appSet(String generators, boolean goTemplate) {
    return "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: h\nspec:\n"
        + (goTemplate ? "  goTemplate: true\n" : "")
        + "  generators:\n"
        + ListGeneratorTest.indent(generators, 2)
        + "\n  template:\n    metadata:\n      name: '"
        + (goTemplate ? "{{ .name }}" : "{{name}}")
        + "'\n    spec:\n      project: default\n";
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "alias bomb in a git file",
            "- git:\n    repoURL: "
                + REPO
                + "\n    revision: HEAD\n    files: [{path: 'cfg/*.yaml'}]\n",
            new InMemoryInputs()
                .file(REPO, "cfg/bomb.yaml", "name: bomb\n" + BOMB)
                .file(REPO, "cfg/ok.yaml", "name: ok\n"),
            Map.of("ok", Map.of()),
            List.of("spec.generators[0].git.files (file cfg/bomb.yaml) | alias")),
        new Case(
            "snapshot paths escaping the repository are ignored",
            "- git:\n    repoURL: "
                + REPO
                + "\n    revision: HEAD\n    files: [{path: '**.yaml'}]\n",
            new InMemoryInputs()
                .file(REPO, "../outside/x.yaml", "name: outside\n")
                .file(REPO, "/etc/x.yaml", "name: absolute\n")
                .file(REPO, "in/x.yaml", "name: inside\n"),
            Map.of("inside", Map.of()),
            List.of()),
        new Case(
            "directory pattern escaping the repository",
            "- git:\n    repoURL: "
                + REPO
                + "\n    revision: HEAD\n    directories: [{path: '../*'}]\n",
            new InMemoryInputs().file(REPO, "a/x", ""),
            Map.of(),
            List.of("spec.generators[0].git.directories[0].path | escapes the repository")),
        new Case(
            "a glob that would backtrack for ever fails the generator",
            "- git:\n    repoURL: "
                + REPO
                + "\n    revision: HEAD\n    files: [{path: '"
                + "?*".repeat(14)
                + "b'}]\n",
            new InMemoryInputs().file(REPO, "a".repeat(60), "name: x\n"),
            Map.of(),
            List.of("spec.generators[0].git.files | path pattern too expensive")),
        new Case(
            "deeply nested git file",
            "- git:\n    repoURL: "
                + REPO
                + "\n    revision: HEAD\n    files: [{path: '*.json'}]\n",
            new InMemoryInputs()
                .file(
                    REPO,
                    "deep.json",
                    "{\"name\":\"deep\",\"x\":" + "[".repeat(500) + "]".repeat(500) + "}")
                .file(REPO, "fine.json", "{\"name\":\"fine\"}"),
            Map.of("fine", Map.of()),
            List.of("spec.generators[0].git.files (file deep.json) | not valid JSON or YAML")),
        new Case(
            "alias bomb in elementsYaml",
            "- list:\n    elementsYaml: |\n"
                + ListGeneratorTest.indent("- name: x\n  " + BOMB.replace("\n", "\n  "), 6)
                + "\n",
            new InMemoryInputs(),
            Map.of(),
            List.of("spec.generators[0].list.elementsYaml | alias")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refuses(Case c) {
    assertResult(
        Fixtures.generate(appSet(c.generators(), false), c.inputs()), c.apps(), c.errors());
  }
}
