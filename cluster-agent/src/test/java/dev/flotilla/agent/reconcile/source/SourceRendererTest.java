package dev.flotilla.agent.reconcile.source;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.render.ManifestRenderer;
import dev.flotilla.render.RenderException;
import dev.flotilla.render.RenderLimits;
import dev.flotilla.render.TestCheckout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Argo CD's multiple sources: how sources combine and how {@code $ref} value files resolve. */
class SourceRendererTest {

  final TestCheckout charts = new TestCheckout();
  final TestCheckout values = new TestCheckout();
  final TestCheckout plain = new TestCheckout();
  final SourceRenderer renderer = new SourceRenderer(new ManifestRenderer(RenderLimits.DEFAULT));

  @AfterEach
  void cleanUp() {
    charts.close();
    values.close();
    plain.close();
  }

  static AppSpec app(String sources) {
    return AppSpec.parse(
        "app", "default", "{\"sources\":" + sources + ",\"destination\":{\"namespace\":\"ns\"}}");
  }

  /** One checkout per source: the i-th source is read from {@code roots[i]}. */
  static List<SourceCheckout> checkouts(AppSpec app, Path... roots) {
    List<SourceCheckout> out = new ArrayList<>();
    for (int i = 0; i < roots.length; i++) {
      out.add(new SourceCheckout(i, app.allSources().get(i), "sha" + i, roots[i]));
    }
    return out;
  }

  static List<String> names(SourceRenderer.Rendered r) {
    return r.objects().stream()
        .map(
            o -> o.path("metadata").path("name").asText() + "=" + o.path("data").path("v").asText())
        .toList();
  }

  record CombineCase(String name, String sources, List<String> expected, int repeated) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<CombineCase> combinations() {
    String a = "{\"repoURL\":\"https://git.example/a.git\",\"path\":\"a\"}";
    String b = "{\"repoURL\":\"https://git.example/b.git\",\"path\":\"b\"}";
    return Stream.of(
        new CombineCase(
            "each source renders, in order",
            "[" + a + "," + b + "]",
            List.of("one=a", "shared=a", "shared2=b", "two=b"),
            0),
        new CombineCase(
            "the later source's object wins",
            "[" + b + "," + a + "]",
            List.of("shared2=b", "two=b", "one=a", "shared=a"),
            0),
        new CombineCase(
            "a ref source without path renders nothing",
            "[" + a + ",{\"repoURL\":\"https://git.example/b.git\",\"ref\":\"values\"}]",
            List.of("one=a", "shared=a"),
            0),
        new CombineCase(
            "a ref source with a path renders too",
            "[" + a + ",{\"repoURL\":\"https://git.example/b.git\",\"path\":\"b\",\"ref\":\"v\"}]",
            List.of("one=a", "shared=a", "shared2=b", "two=b"),
            0),
        new CombineCase(
            "one source twice: the second wins once, last in order",
            "[" + a + "," + b + "," + a + "]",
            List.of("shared2=b", "two=b", "one=a", "shared=a"),
            2),
        new CombineCase(
            "only ref sources: nothing",
            "[{\"repoURL\":\"https://git.example/b.git\",\"ref\":\"values\"}]",
            List.of(),
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("combinations")
  void combinesWhatTheSourcesRender(CombineCase c) throws Exception {
    plain
        .write("a/one.yaml", configMap("one", "v", "a"))
        .write("a/shared.yaml", configMap("shared", "v", "a"))
        .write("b/two.yaml", configMap("two", "v", "b"))
        .write("b/shared.yaml", configMap("shared2", "v", "b"));
    AppSpec app = app(c.sources());
    Path[] roots = new Path[app.allSources().size()];
    java.util.Arrays.fill(roots, plain.root);

    SourceRenderer.Rendered r = renderer.render(app, checkouts(app, roots));

    assertThat(names(r)).containsExactlyElementsOf(c.expected());
    assertThat(r.repeated()).hasSize(c.repeated());
  }

  @Test
  void theSameObjectFromTwoSourcesIsTakenFromTheLaterOneWithAWarning() throws Exception {
    plain.write("a/cm.yaml", configMap("cm", "v", "a"));
    values.write(
        "b/cm.yaml",
        configMap("cm", "v", "b").replace("metadata:\n", "metadata:\n  namespace: ns\n"));
    AppSpec app =
        app(
            "[{\"repoURL\":\"https://git.example/a.git\",\"path\":\"a\"},"
                + "{\"repoURL\":\"https://git.example/b.git\",\"path\":\"b\"}]");

    SourceRenderer.Rendered r = renderer.render(app, checkouts(app, plain.root, values.root));

    assertThat(names(r)).as("no namespace means the destination's").containsExactly("cm=b");
    assertThat(r.repeated())
        .containsExactly("ConfigMap ns/cm (source 2 (https://git.example/b.git) wins)");
  }

  @Test
  void aRenderErrorNamesTheSource() {
    AppSpec app =
        app(
            "[{\"repoURL\":\"https://git.example/a.git\",\"path\":\"a\"},"
                + "{\"repoURL\":\"https://git.example/b.git\",\"path\":\"missing\"}]");
    plain.write("a/one.yaml", configMap("one", "v", "a"));

    assertThatThrownBy(() -> renderer.render(app, checkouts(app, plain.root, plain.root)))
        .isInstanceOf(RenderException.class)
        .hasMessage(
            "source 2 (https://git.example/b.git): application path 'missing' does not exist in"
                + " the repository");
  }

  // ------------------------------------------------------------------ $ref value files

  void writeChart() {
    charts
        .write("charts/api/Chart.yaml", "apiVersion: v2\nname: api\nversion: 0.1.0\n")
        .write("charts/api/values.yaml", "greeting: default\nreplicas: 1\n")
        .write("charts/api/local.yaml", "greeting: local\nreplicas: 2\n")
        .write(
            "charts/api/templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\n"
                + "data:\n  greeting: {{ .Values.greeting | quote }}\n"
                + "  replicas: {{ .Values.replicas | quote }}\n");
    values.write("prod/values.yaml", "greeting: from-values-repo\n");
  }

  static AppSpec helmApp(String valueFiles, String extra) {
    return app(
        "[{\"repoURL\":\"https://git.example/charts.git\",\"path\":\"charts/api\","
            + "\"helm\":{\"valueFiles\":"
            + valueFiles
            + extra
            + "}},"
            + "{\"repoURL\":\"https://git.example/values.git\",\"targetRevision\":\"main\","
            + "\"ref\":\"values\"}]");
  }

  @Test
  void aRefValueFileIsReadFromTheRefdSourcesCheckoutInItsOrder() throws Exception {
    writeChart();
    AppSpec app = helmApp("[\"local.yaml\",\"$values/prod/values.yaml\"]", "");

    ObjectNode cm = renderer.render(app, checkouts(app, charts.root, values.root)).objects().get(0);

    assertThat(cm.path("data").path("greeting").asText())
        .as("the later value file wins")
        .isEqualTo("from-values-repo");
    assertThat(cm.path("data").path("replicas").asText()).isEqualTo("2");
  }

  record RefCase(String name, String valueFiles, String extra, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<RefCase> badRefs() {
    String what = "helm value file '%s' of source 1 (https://git.example/charts.git)";
    return Stream.of(
        new RefCase(
            "unknown ref",
            "[\"$vals/prod/values.yaml\"]",
            "",
            what.formatted("$vals/prod/values.yaml")
                + ": source referenced \"$vals\", which is not one of the available sources"
                + " ($values)"),
        new RefCase(
            "missing file",
            "[\"$values/prod/missing.yaml\"]",
            "",
            what.formatted("$values/prod/missing.yaml")
                + ": file 'prod/missing.yaml' does not exist in the repository of source 2"
                + " (https://git.example/values.git) at sha1"),
        new RefCase(
            "escaping with ..",
            "[\"$values/../../etc/passwd\"]",
            "",
            what.formatted("$values/../../etc/passwd")
                + ": file '../../etc/passwd' escapes the repository (via ..) of source 2"
                + " (https://git.example/values.git) at sha1"),
        new RefCase(
            "no file named",
            "[\"$values\"]",
            "",
            what.formatted("$values")
                + " names no file in source 2 (https://git.example/values.git)"),
        new RefCase(
            "a directory is no file",
            "[\"$values/prod\"]",
            "",
            what.formatted("$values/prod")
                + " is not a file in source 2 (https://git.example/values.git)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRefs")
  void refusesABadRefNamingIt(RefCase c) {
    writeChart();
    AppSpec app = helmApp(c.valueFiles(), c.extra());

    assertThatThrownBy(() -> renderer.render(app, checkouts(app, charts.root, values.root)))
        .isInstanceOf(RenderException.class)
        .hasMessage(c.message());
  }

  @Test
  void aRefToAFileThroughASymlinkOutOfTheCheckoutIsRefused() {
    writeChart();
    values.symlink("prod/stolen.yaml", Path.of("/etc/hostname"));
    AppSpec app = helmApp("[\"$values/prod/stolen.yaml\"]", "");

    assertThatThrownBy(() -> renderer.render(app, checkouts(app, charts.root, values.root)))
        .hasMessageContaining("leads outside the repository");
  }

  @Test
  void withNoRefSourceTheErrorSaysSo() throws Exception {
    writeChart();
    AppSpec app =
        app(
            "[{\"repoURL\":\"https://git.example/charts.git\",\"path\":\"charts/api\","
                + "\"helm\":{\"valueFiles\":[\"$values/prod/values.yaml\"]}}]");

    assertThatThrownBy(() -> renderer.render(app, checkouts(app, charts.root)))
        .hasMessageEndingWith(
            "source referenced \"$values\", but no source has a 'ref' field defined");
  }

  @Test
  void aMissingRefFileIsSkippedWhenMissingValueFilesAreIgnored() throws Exception {
    writeChart();
    AppSpec app =
        helmApp(
            "[\"local.yaml\",\"$values/prod/missing.yaml\"]", ",\"ignoreMissingValueFiles\":true");

    ObjectNode cm = renderer.render(app, checkouts(app, charts.root, values.root)).objects().get(0);

    assertThat(cm.path("data").path("greeting").asText()).isEqualTo("local");
  }
}
