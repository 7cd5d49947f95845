package dev.flotilla.render;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestRendererTest {

  final TestCheckout repo = new TestCheckout();
  final ManifestRenderer renderer = new ManifestRenderer(RenderLimits.DEFAULT);

  @AfterEach
  void cleanUp() {
    repo.close();
  }

  static RenderRequest app(String source) {
    return TestRequests.parse(
        "app", "default", "{\"source\":" + source + ",\"destination\":{\"namespace\":\"ns\"}}");
  }

  List<String> names(RenderRequest app) throws RenderException {
    return renderer.render(app, repo.root).stream()
        .map(o -> o.path("metadata").path("name").asText())
        .toList();
  }

  record DirCase(String name, String directory, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<DirCase> directoryCases() {
    return Stream.of(
        new DirCase("top level only by default", null, List.of("a", "b")),
        new DirCase(
            "recurse reads sub-directories", "{\"recurse\":true}", List.of("a", "b", "deep")),
        new DirCase(
            "include filters by glob", "{\"recurse\":true,\"include\":\"*.json\"}", List.of("b")),
        new DirCase(
            "exclude filters by glob",
            "{\"recurse\":true,\"exclude\":\"{sub/*,b.json}\"}",
            List.of("a")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("directoryCases")
  void rendersAPlainDirectory(DirCase c) throws Exception {
    repo.write("d/a.yaml", configMap("a"))
        .write(
            "d/b.json",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\"}}")
        .write("d/sub/deep.yml", configMap("deep"))
        .write("d/notes.txt", "ignored");
    String dir = c.directory() == null ? "" : ",\"directory\":" + c.directory();

    assertThat(names(app("{\"path\":\"d\"" + dir + "}"))).containsExactlyElementsOf(c.expected());
  }

  @Test
  void expandsListsAndSkipsEmptyDocuments() throws Exception {
    repo.write(
        "d/list.yaml",
        "---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n- "
            + configMap("x").replace("\n", "\n  ")
            + "\n");

    assertThat(names(app("{\"path\":\"d\"}"))).containsExactly("x");
  }

  record BadCase(String name, String content, String messagePart) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<BadCase> badManifests() {
    return Stream.of(
        new BadCase(
            "syntax error",
            "kind: ConfigMap\nmetadata: [oops\n",
            "d/bad.yaml: invalid YAML at line"),
        new BadCase(
            "no kind",
            "apiVersion: v1\nmetadata:\n  name: x\n",
            "d/bad.yaml document 1 has no kind"),
        new BadCase("no name", "apiVersion: v1\nkind: ConfigMap\n", "has no metadata.name"),
        new BadCase("a scalar document", "just text\n", "not a Kubernetes object"),
        new BadCase(
            "YAML bomb",
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                + "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
                + "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
                + "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n",
            "aliases"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badManifests")
  void refusesBadManifestsNamingTheFile(BadCase c) {
    repo.write("d/bad.yaml", c.content());

    assertThatThrownBy(() -> names(app("{\"path\":\"d\"}")))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("d/bad.yaml")
        .hasMessageContaining(c.messagePart());
  }

  @Test
  void refusesA50MegabyteManifestWithoutReadingIt() throws IOException {
    Path big = repo.root.resolve("d/big.yaml");
    Files.createDirectories(big.getParent());
    try (Writer w = Files.newBufferedWriter(big)) {
      w.write("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
      String line = "  k%d: \"" + "x".repeat(1000) + "\"\n";
      for (int i = 0; Files.size(big) < 50L << 20 && i < 60_000; i++) {
        w.write(String.format(line, i));
      }
    }

    assertThatThrownBy(() -> names(app("{\"path\":\"d\"}")))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining("d/big.yaml")
        .hasMessageContaining("over the per-file limit");
  }

  @Test
  void refusesTooManyBytesAcrossFiles() {
    ManifestRenderer small = new ManifestRenderer(new RenderLimits(1 << 20, 300, 100, 50));
    repo.write("d/a.yaml", configMap("a", "k", "x".repeat(200)))
        .write("d/b.yaml", configMap("b", "k", "x".repeat(200)));

    assertThatThrownBy(() -> small.render(app("{\"path\":\"d\"}"), repo.root))
        .hasMessageContaining("exceed the limit of 300 bytes");
  }

  record EscapeCase(String name, String path, String messagePart) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<EscapeCase> escapes() {
    return Stream.of(
        new EscapeCase("dot-dot", "../x", "escapes the repository"),
        new EscapeCase("dot-dot in the middle", "d/../../x", "escapes the repository"),
        new EscapeCase("absolute", "/etc", "is absolute"),
        new EscapeCase("missing", "nope", "does not exist"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapes")
  void refusesPathsLeavingTheRepository(EscapeCase c) {
    assertThatThrownBy(() -> names(app("{\"path\":\"" + c.path() + "\"}")))
        .isInstanceOf(RenderException.class)
        .hasMessageContaining(c.messagePart());
  }

  @Test
  void dotDotThatStaysInsideIsFine() throws Exception {
    repo.write("d/a.yaml", configMap("a"));

    assertThat(names(app("{\"path\":\"other/../d\"}"))).containsExactly("a");
  }

  @Test
  void refusesAnAppPathThatIsASymlinkOutOfTheRepository() throws Exception {
    Path outside = Files.createTempDirectory("outside-");
    Files.writeString(outside.resolve("x.yaml"), configMap("stolen"));
    repo.symlink("d", outside);

    assertThatThrownBy(() -> names(app("{\"path\":\"d\"}")))
        .hasMessageContaining("symlink that leads outside the repository");
  }

  @Test
  void followsSymlinksThatStayInside() throws Exception {
    repo.write("shared/a.yaml", configMap("a"))
        .symlink("d/a.yaml", repo.root.resolve("shared/a.yaml"));

    assertThat(names(app("{\"path\":\"d\"}"))).containsExactly("a");
  }

  record DetectCase(String name, String file, String source, SourceType expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<DetectCase> detection() {
    return Stream.of(
        new DetectCase("plain files", "a.yaml", "{\"path\":\"d\"}", SourceType.DIRECTORY),
        new DetectCase("Chart.yaml means Helm", "Chart.yaml", "{\"path\":\"d\"}", SourceType.HELM),
        new DetectCase(
            "kustomization.yaml means Kustomize",
            "kustomization.yaml",
            "{\"path\":\"d\"}",
            SourceType.KUSTOMIZE),
        new DetectCase(
            "Kustomization means Kustomize",
            "Kustomization",
            "{\"path\":\"d\"}",
            SourceType.KUSTOMIZE),
        new DetectCase(
            "explicit helm wins", "a.yaml", "{\"path\":\"d\",\"helm\":{}}", SourceType.HELM),
        new DetectCase(
            "explicit directory wins",
            "Chart.yaml",
            "{\"path\":\"d\",\"directory\":{}}",
            SourceType.DIRECTORY));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("detection")
  void detectsTheSourceTypeAsArgoCdDoes(DetectCase c) {
    repo.write("d/" + c.file(), "x: 1\n");

    assertThat(ManifestRenderer.detect(app(c.source()), repo.root.resolve("d")))
        .isEqualTo(c.expected());
  }

  @Test
  void rendersKustomizeWithKubectl() throws Exception {
    repo.write("k/kustomization.yaml", "namePrefix: p-\nresources:\n- cm.yaml\n")
        .write("k/cm.yaml", configMap("cfg"));

    assertThat(names(app("{\"path\":\"k\"}"))).containsExactly("p-cfg");
  }

  @Test
  void refusesKustomizeOverridesFromTheSpecRatherThanIgnoringThem() {
    repo.write("k/kustomization.yaml", "resources: []\n");

    assertThatThrownBy(() -> names(app("{\"path\":\"k\",\"kustomize\":{\"namePrefix\":\"x-\"}}")))
        .hasMessageContaining("spec.source.kustomize.namePrefix is not supported");
  }

  @Test
  void namesTheMissingToolWhenKustomizeCannotRun() {
    repo.write("k/kustomization.yaml", "resources: []\n");
    ManifestRenderer noTools =
        new ManifestRenderer(
            RenderLimits.DEFAULT, new KustomizeRenderer(RenderLimits.DEFAULT, "/nonexistent"));

    assertThatThrownBy(() -> noTools.render(app("{\"path\":\"k\"}"), repo.root))
        .hasMessageContaining("neither 'kustomize' nor 'kubectl' is on the agent's PATH");
  }

  @Test
  void reportsKustomizeErrors() {
    repo.write("k/kustomization.yaml", "resources:\n- missing.yaml\n");

    assertThatThrownBy(() -> names(app("{\"path\":\"k\"}")))
        .hasMessageContaining("kustomize build k failed");
  }

  void writeChart() {
    repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n")
        .write("charts/web/values.yaml", "greeting: hello\nreplicas: 1\n")
        .write("charts/web/prod-values.yaml", "greeting: prod\n")
        .write(
            "charts/web/templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cfg\n  namespace: {{ .Release.Namespace }}\n"
                + "data:\n  greeting: {{ .Values.greeting | quote }}\n  replicas: {{ .Values.replicas | quote }}\n"
                + "  extra: {{ .Values.extra | default \"none\" | quote }}\n");
  }

  @Test
  void rendersAHelmChartWithValueFilesValuesAndParameters() throws Exception {
    writeChart();
    RenderRequest app =
        app(
            "{\"path\":\"charts/web\",\"helm\":{\"releaseName\":\"rel\",\"valueFiles\":[\"prod-values.yaml\"],"
                + "\"values\":\"replicas: 3\\n\",\"valuesObject\":{\"extra\":\"obj\"},"
                + "\"parameters\":[{\"name\":\"replicas\",\"value\":\"5\"}]}}");

    List<ObjectNode> objects = renderer.render(app, repo.root);

    assertThat(objects).hasSize(1);
    ObjectNode cm = objects.get(0);
    assertThat(cm.path("metadata").path("name").asText()).isEqualTo("rel-cfg");
    assertThat(cm.path("metadata").path("namespace").asText()).isEqualTo("ns");
    assertThat(cm.path("data").path("greeting").asText()).isEqualTo("prod");
    assertThat(cm.path("data").path("replicas").asText())
        .as("parameters win over values")
        .isEqualTo("5");
    assertThat(cm.path("data").path("extra").asText()).isEqualTo("obj");
  }

  @Test
  void refusesAHelmValueFileOutsideTheRepository() {
    writeChart();

    assertThatThrownBy(
            () ->
                names(
                    app(
                        "{\"path\":\"charts/web\",\"helm\":{\"valueFiles\":[\"../../../etc/passwd\"]}}")))
        .hasMessageContaining("helm value file")
        .hasMessageContaining("escapes the repository");
  }

  @Test
  void refusesAHelmChartWithASymlinkOut() throws Exception {
    writeChart();
    repo.symlink("charts/web/templates/stolen.yaml", Path.of("/etc/hostname"));

    assertThatThrownBy(() -> names(app("{\"path\":\"charts/web\"}")))
        .hasMessageContaining("outside the repository");
  }

  @Test
  void reportsHelmTemplateErrors() {
    writeChart();
    repo.write("charts/web/templates/broken.yaml", "{{ .Values.nope.deeper }}\n");

    assertThatThrownBy(() -> names(app("{\"path\":\"charts/web\"}")))
        .hasMessageContaining("helm template of charts/web failed");
  }
}
