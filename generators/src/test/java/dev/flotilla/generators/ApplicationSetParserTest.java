package dev.flotilla.generators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApplicationSetParserTest {

  record Case(String name, String yaml, String location, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String HEAD =
      "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: x\n";
  static final String TEMPLATE =
      "  template:\n    metadata:\n      name: '{{name}}'\n    spec:\n      project: default\n";

  static Stream<Case> cases() {
    return Stream.of(
        new Case("malformed YAML", HEAD + "spec: [unclosed", "", "malformed YAML"),
        new Case("not a map", "- a\n- b\n", "", "must be a YAML or JSON map"),
        new Case(
            "wrong kind",
            HEAD.replace("ApplicationSet", "Application") + "spec: {}",
            "kind",
            "expected kind ApplicationSet"),
        new Case(
            "missing name",
            "kind: ApplicationSet\nspec: {}\n",
            "metadata.name",
            "metadata.name is required"),
        new Case(
            "missing generators",
            HEAD + "spec:\n" + TEMPLATE,
            "spec.generators",
            "at least one generator"),
        new Case(
            "missing template",
            HEAD + "spec:\n  generators:\n  - list: {elements: []}\n",
            "spec.template",
            "spec.template is required"),
        new Case(
            "unknown generator",
            HEAD + "spec:\n  generators:\n  - bogus: {}\n" + TEMPLATE,
            "spec.generators[0].bogus",
            "unknown generator 'bogus'"),
        new Case(
            "unsupported Argo generator",
            HEAD + "spec:\n  generators:\n  - scmProvider: {}\n" + TEMPLATE,
            "spec.generators[0].scmProvider",
            "not supported"),
        new Case(
            "two generators in one entry",
            HEAD + "spec:\n  generators:\n  - list: {elements: []}\n    clusters: {}\n" + TEMPLATE,
            "spec.generators[0]",
            "exactly one generator"),
        new Case(
            "list without elements",
            HEAD + "spec:\n  generators:\n  - list: {}\n" + TEMPLATE,
            "spec.generators[0].list.elements",
            "needs 'elements'"),
        new Case(
            "git without repoURL",
            HEAD + "spec:\n  generators:\n  - git: {directories: [{path: '*'}]}\n" + TEMPLATE,
            "spec.generators[0].git.repoURL",
            "repoURL is required"),
        new Case(
            "git without directories or files",
            HEAD + "spec:\n  generators:\n  - git: {repoURL: 'https://x'}\n" + TEMPLATE,
            "spec.generators[0].git",
            "non-empty 'directories' or 'files'"),
        new Case(
            "matrix with three children",
            HEAD
                + "spec:\n  generators:\n  - matrix:\n      generators:\n      - list: {elements: []}\n"
                + "      - list: {elements: []}\n      - list: {elements: []}\n"
                + TEMPLATE,
            "spec.generators[0].matrix.generators",
            "exactly two child generators, found 3"),
        new Case(
            "matrix child is checked too",
            HEAD
                + "spec:\n  generators:\n  - matrix:\n      generators:\n      - list: {elements: []}\n"
                + "      - nope: {}\n"
                + TEMPLATE,
            "spec.generators[0].matrix.generators[1].nope",
            "unknown generator"),
        new Case(
            "templated project",
            HEAD
                + "spec:\n  generators:\n  - list: {elements: []}\n"
                + TEMPLATE.replace("project: default", "project: '{{team}}'"),
            "spec.template.spec.project",
            "must not be templated"),
        new Case(
            "templated project in a generator template",
            HEAD
                + "spec:\n  generators:\n  - list:\n      elements: []\n      template:\n        metadata: {}\n"
                + "        spec: {project: '{{ .team }}'}\n"
                + TEMPLATE,
            "spec.generators[0].list.template.spec.project",
            "must not be templated"),
        new Case(
            "templatePatch without goTemplate",
            HEAD
                + "spec:\n  templatePatch: 'spec: {}'\n  generators:\n  - list: {elements: []}\n"
                + TEMPLATE,
            "spec.templatePatch",
            "requires goTemplate"),
        new Case(
            "unknown goTemplateOptions",
            HEAD
                + "spec:\n  goTemplate: true\n  goTemplateOptions: [missingkey=explode]\n  generators:\n  - list: {elements: []}\n"
                + TEMPLATE,
            "spec.goTemplateOptions[0]",
            "unknown option"),
        new Case(
            "billion laughs is refused",
            HEAD
                + "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                + "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n",
            "",
            "alias"),
        new Case("duplicate keys", HEAD + "spec: {}\nspec: {}\n", "", "duplicate key"),
        new Case(
            "oversized document",
            HEAD + "x: '" + "y".repeat(ApplicationSetParser.MAX_DOCUMENT_BYTES) + "'\n",
            "",
            "more than the limit"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejects(Case c) {
    assertThatThrownBy(() -> ApplicationSetParser.parse(c.yaml()))
        .isInstanceOfSatisfying(
            InvalidApplicationSetException.class,
            e ->
                assertThat(e.errors())
                    .anySatisfy(
                        error -> {
                          assertThat(error.location()).isEqualTo(c.location());
                          assertThat(error.message()).containsIgnoringCase(c.message());
                        }));
  }

  @Test
  void readsJsonToo() throws Exception {
    ApplicationSet set =
        ApplicationSetParser.parse(
            "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"ApplicationSet\","
                + "\"metadata\":{\"name\":\"j\",\"namespace\":\"argocd\"},"
                + "\"spec\":{\"generators\":[{\"list\":{\"elements\":[]}}],"
                + "\"template\":{\"metadata\":{\"name\":\"x\"},\"spec\":{\"project\":\"default\"}}}}");
    assertThat(set.name()).isEqualTo("j");
    assertThat(set.namespace()).isEqualTo("argocd");
    assertThat(set.spec().path("generators").size()).isEqualTo(1);
  }
}
