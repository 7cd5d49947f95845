package dev.flotilla.generators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every template a generated Application can come from (top-level, per-generator, matrix and merge
 * children, nested ones, templatePatch) passes the same project checks, on the effective result
 * (issue 15: a list generator's own template placed Applications in another team's project while
 * the checks read only {@code spec.template}).
 */
class TemplateProjectsTest {

  /**
   * @param refusedAt where the parser (and the engine) refuse it, or null when it is accepted
   * @param message a fragment of that refusal
   * @param projects when accepted: every project the set may place Applications in, with the field
   *     that names it first ("project @ location"), in order
   * @param appProjects when accepted: the project each generated Application actually gets
   * @param errors when accepted: the generation errors, each "location | message fragment"
   */
  record Case(
      String name,
      String spec,
      String refusedAt,
      String message,
      List<String> projects,
      Map<String, String> appProjects,
      List<String> errors) {
    @Override
    public String toString() {
      return name;
    }

    static Case refused(String name, String spec, String at, String message) {
      return new Case(name, spec, at, message, List.of(), Map.of(), List.of());
    }

    static Case accepted(
        String name, String spec, List<String> projects, Map<String, String> appProjects) {
      return new Case(name, spec, null, null, projects, appProjects, List.of());
    }

    /** Accepted by the parser, but every Application fails to render. */
    static Case refusedWhenRendered(String name, String spec, List<String> projects, String error) {
      return new Case(name, spec, null, null, projects, Map.of(), List.of(error));
    }
  }

  static final String TOP = "spec.template.spec.project";

  /** The top-level template every case shares: project team-a, namespace from the params. */
  static final String TEMPLATE =
      """
      template:
        metadata:
          name: '{{name}}'
        spec:
          project: team-a
          source: {repoURL: 'https://git.example.com/infra.git', path: apps}
          destination: {name: in-cluster, namespace: '{{name}}'}
      """;

  /** A generator template moving the Application to project {@code project} in kube-system. */
  static String escape(String project, int indent) {
    return ListGeneratorTest.indent(
        """
        template:
          spec:
            project: %s
            destination: {name: in-cluster, namespace: kube-system}
        """
            .formatted(project),
        indent);
  }

  static Stream<Case> cases() {
    return Stream.of(
        Case.accepted(
            "top-level template only",
            "generators:\n- list: {elements: [{name: a}]}\n",
            List.of("team-a @ " + TOP),
            Map.of("a", "team-a")),
        Case.refused(
            "top-level templated project",
            "generators:\n- list: {elements: [{name: a}]}\n",
            TOP,
            "must not be templated"),
        Case.accepted(
            "list generator template names another project: the effective one",
            "generators:\n- list:\n    elements: [{name: a}]\n" + escape("platform", 4) + "\n",
            List.of("team-a @ " + TOP, "platform @ spec.generators[0].list.template.spec.project"),
            Map.of("a", "platform")),
        Case.refused(
            "list generator template with a templated project, second generator",
            "generators:\n- list: {elements: [{name: a}]}\n- list:\n    elements: [{name: b}]\n"
                + escape("'{{name}}'", 4)
                + "\n",
            "spec.generators[1].list.template.spec.project",
            "must not be templated"),
        Case.accepted(
            "clusters generator template",
            "generators:\n- clusters:\n    selector: {matchLabels: {env: staging}}\n"
                + escape("platform", 4).replace("kube-system", "'kube-{{name}}'")
                + "\n",
            List.of(
                "team-a @ " + TOP, "platform @ spec.generators[0].clusters.template.spec.project"),
            Map.of("staging", "platform")),
        Case.refused(
            "clusters generator template with a templated project",
            "generators:\n- clusters:\n" + escape("'{{metadata.labels.env}}'", 4) + "\n",
            "spec.generators[0].clusters.template.spec.project",
            "must not be templated"),
        Case.accepted(
            "git generator template",
            "generators:\n- git:\n    repoURL: https://git.example.com/infra.git\n"
                + "    directories: [{path: 'apps/billing'}]\n"
                + escape("platform", 4)
                + "\n      metadata: {name: '{{path.basename}}'}\n",
            List.of("team-a @ " + TOP, "platform @ spec.generators[0].git.template.spec.project"),
            Map.of("billing", "platform")),
        Case.refused(
            "git generator template with a templated project",
            "generators:\n- git:\n    repoURL: https://git.example.com/infra.git\n"
                + "    directories: [{path: 'apps/*'}]\n"
                + escape("'{{path.basename}}'", 4)
                + "\n",
            "spec.generators[0].git.template.spec.project",
            "must not be templated"),
        Case.accepted(
            "matrix's own template is the effective one",
            "generators:\n- matrix:\n    generators:\n    - list: {elements: [{name: a}]}\n"
                + "    - list: {elements: [{x: '1'}]}\n"
                + escape("platform", 4)
                + "\n",
            List.of(
                "team-a @ " + TOP, "platform @ spec.generators[0].matrix.template.spec.project"),
            Map.of("a", "platform")),
        Case.accepted(
            "matrix child template: not rendered (as in Argo CD) but its project still counts",
            "generators:\n- matrix:\n    generators:\n    - list:\n        elements: [{name: a}]\n"
                + escape("platform", 8)
                + "\n    - list: {elements: [{x: '1'}]}\n",
            List.of(
                "team-a @ " + TOP,
                "platform @ spec.generators[0].matrix.generators[0].list.template.spec.project"),
            Map.of("a", "team-a")),
        Case.refused(
            "matrix child template with a templated project",
            "generators:\n- matrix:\n    generators:\n    - list: {elements: [{name: a}]}\n"
                + "    - list:\n        elements: [{x: '1'}]\n"
                + escape("'{{name}}'", 8)
                + "\n",
            "spec.generators[0].matrix.generators[1].list.template.spec.project",
            "must not be templated"),
        Case.accepted(
            "merge child template counts",
            "generators:\n- merge:\n    mergeKeys: [name]\n    generators:\n"
                + "    - list: {elements: [{name: a}]}\n"
                + "    - list:\n        elements: [{name: a, x: '1'}]\n"
                + escape("platform", 8)
                + "\n",
            List.of(
                "team-a @ " + TOP,
                "platform @ spec.generators[0].merge.generators[1].list.template.spec.project"),
            Map.of("a", "team-a")),
        Case.refused(
            "merge child template with a templated project",
            "generators:\n- merge:\n    mergeKeys: [name]\n    generators:\n"
                + "    - list: {elements: [{name: a}]}\n"
                + "    - list:\n        elements: [{name: a}]\n"
                + escape("'{{name}}'", 8)
                + "\n",
            "spec.generators[0].merge.generators[1].list.template.spec.project",
            "must not be templated"),
        Case.accepted(
            "nested matrix in merge: its own and its children's templates count",
            "generators:\n- merge:\n    mergeKeys: [name]\n    generators:\n"
                + "    - list: {elements: [{name: a}]}\n"
                + "    - matrix:\n        generators:\n"
                + "        - list:\n            elements: [{name: a}]\n"
                + escape("platform", 12)
                + "\n        - list: {elements: [{x: '1'}]}\n"
                + escape("ops", 8)
                + "\n",
            List.of(
                "team-a @ " + TOP,
                "ops @ spec.generators[0].merge.generators[1].matrix.template.spec.project",
                "platform @ spec.generators[0].merge.generators[1].matrix.generators[0].list"
                    + ".template.spec.project"),
            Map.of("a", "team-a")),
        Case.refused(
            "nested matrix in merge with a templated project",
            "generators:\n- merge:\n    mergeKeys: [name]\n    generators:\n"
                + "    - list: {elements: [{name: a}]}\n"
                + "    - matrix:\n        generators:\n"
                + "        - list:\n            elements: [{name: a}]\n"
                + escape("'{{name}}'", 12)
                + "\n        - list: {elements: [{x: '1'}]}\n",
            "spec.generators[0].merge.generators[1].matrix.generators[0].list.template.spec.project",
            "must not be templated"),
        Case.accepted(
            "an empty project in a generator template keeps the top-level one",
            "generators:\n- list:\n    elements: [{name: a}]\n" + escape("''", 4) + "\n",
            List.of("team-a @ " + TOP),
            Map.of("a", "team-a")),
        Case.accepted(
            "a generator template whose spec is not a map leaves no project: default",
            "generators:\n- list:\n    elements: [{name: a}]\n    template: {spec: nothing}\n",
            List.of("team-a @ " + TOP, "default @ spec.generators[0].list.template.spec.project"),
            Map.of("a", "")),
        Case.refused(
            "a non-string project",
            "generators:\n- list:\n    elements: [{name: a}]\n"
                + "    template: {spec: {project: {'{{name}}': x}}}\n",
            "spec.generators[0].list.template.spec.project",
            "must be a string"),
        Case.refused(
            "a templated key in the top-level template's spec",
            "generators:\n- list: {elements: [{name: a, key: project}]}\n",
            "spec.template.spec",
            "keys of a template's spec must be literal"),
        Case.refused(
            "a templated key in a generator template's spec",
            "generators:\n- list:\n    elements: [{name: a, key: project}]\n"
                + "    template: {spec: {'{{key}}': platform}}\n",
            "spec.generators[0].list.template.spec",
            "keys of a template's spec must be literal"),
        Case.accepted(
            "templatePatch that sets spec.project is ignored, as in Argo CD",
            "goTemplate: true\ntemplatePatch: |\n  spec:\n    project: '{{ .team }}'\n"
                + "generators:\n- list: {elements: [{name: a, team: platform}]}\n",
            List.of("team-a @ " + TOP),
            Map.of("a", "team-a")),
        Case.accepted(
            "templatePatch that builds the project key with an action is ignored too",
            "goTemplate: true\ntemplatePatch: |\n  spec:\n    {{ .key }}: platform\n"
                + "generators:\n- list: {elements: [{name: a, key: project}]}\n",
            List.of("team-a @ " + TOP),
            Map.of("a", "team-a")),
        Case.accepted(
            "templatePatch that leaves the project alone",
            "goTemplate: true\ntemplatePatch: |\n  metadata:\n    labels:\n"
                + "      project: '{{ .name }}'\n"
                + "generators:\n- list: {elements: [{name: a}]}\n",
            List.of("team-a @ " + TOP),
            Map.of("a", "team-a")));
  }

  /** The cases whose top-level template differs from {@link #TEMPLATE}. */
  static String template(Case c) {
    if (c.name().equals("top-level templated project")) {
      return TEMPLATE.replace("project: team-a", "project: '{{name}}'");
    }
    if (c.name().equals("a templated key in the top-level template's spec")) {
      return TEMPLATE.replace("project: team-a", "project: team-a\n    '{{key}}': platform");
    }
    if (c.spec().startsWith("goTemplate: true")) {
      return TEMPLATE.replace("{{name}}", "{{ .name }}");
    }
    return TEMPLATE;
  }

  static String appSet(Case c) {
    return "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: x\nspec:\n"
        + ListGeneratorTest.indent(c.spec() + template(c), 2)
        + "\n";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyTemplateSourcePassesTheProjectChecks(Case c) {
    String yaml = appSet(c);
    if (c.refusedAt() != null) {
      InvalidApplicationSetException e =
          catchThrowableOfType(
              () -> ApplicationSetParser.parse(yaml), InvalidApplicationSetException.class);
      assertThat(e).as("refused by the parser").isNotNull();
      assertThat(e.errors())
          .anySatisfy(
              error -> {
                assertThat(error.location()).isEqualTo(c.refusedAt());
                assertThat(error.message()).contains(c.message());
              });
      // The engine checks on its own too (the controller re-reads stored documents).
      GenerationResult result = Fixtures.generateUnchecked(yaml, GeneratorsTest.inputs());
      // Other generators still produce theirs (one bad generator never blocks the rest), but
      // nothing leaves the top-level template's project.
      assertThat(result.applications())
          .extracting(GeneratedApplication::project)
          .allMatch("team-a"::equals);
      assertThat(result.errors())
          .anySatisfy(e2 -> assertThat(e2.location()).isEqualTo(c.refusedAt()));
      return;
    }
    ApplicationSet set = Fixtures.parse(yaml);
    assertThat(TemplateProjects.of(set.document()))
        .extracting(p -> p.project() + " @ " + p.location())
        .containsExactlyElementsOf(c.projects());
    GenerationResult result = Fixtures.generate(yaml, GeneratorsTest.inputs());
    assertThat(result.errors()).hasSize(c.errors().size());
    for (String expected : c.errors()) {
      String[] parts = expected.split("\\|", 2);
      assertThat(result.errors())
          .anySatisfy(
              error -> {
                assertThat(error.location()).isEqualTo(parts[0].strip());
                assertThat(error.message()).contains(parts[1].strip());
              });
    }
    Map<String, String> actual =
        result.applications().stream()
            .collect(
                Collectors.toMap(
                    GeneratedApplication::name,
                    GeneratedApplication::project,
                    (a, b) -> a,
                    LinkedHashMap::new));
    assertThat(actual).isEqualTo(c.appProjects());
    // Every project an Application actually got is one the permission checks see.
    Map<String, String> asChecked = new LinkedHashMap<>();
    actual.forEach((k, v) -> asChecked.put(k, v.isEmpty() ? TemplateProjects.DEFAULT_PROJECT : v));
    assertThat(TemplateProjects.names(set.document())).containsAll(asChecked.values());
  }
}
