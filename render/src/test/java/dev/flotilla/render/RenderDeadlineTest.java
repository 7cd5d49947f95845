package dev.flotilla.render;

import static dev.flotilla.render.TestCheckout.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Helm and Kustomize renders that hang or write without end are stopped: at the render deadline, or
 * as soon as their output passes the limit, with the process and everything it started killed and a
 * message naming the Application's path. The guard of each test (a minute) only turns the old
 * unbounded behaviour into a failure instead of a hung build.
 */
class RenderDeadlineTest {

  static final Duration DEADLINE = Duration.ofSeconds(2);
  static final Duration GUARD = Duration.ofSeconds(60);

  final TestCheckout repo = new TestCheckout();

  /** For renders that hang: a short deadline. */
  final ManifestRenderer renderer =
      new ManifestRenderer(
          RenderLimits.DEFAULT.withMaxFileBytes(1 << 20).withRenderTimeout(DEADLINE));

  /** For renders that end: the deadline must not be what stops them on a busy machine. */
  final ManifestRenderer patient =
      new ManifestRenderer(RenderLimits.DEFAULT.withMaxFileBytes(1 << 20).withRenderTimeout(GUARD));

  @AfterEach
  void cleanUp() {
    repo.close();
  }

  static RenderRequest app(String source) {
    return TestRequests.parse(
        "app", "default", "{\"source\":" + source + ",\"destination\":{\"namespace\":\"ns\"}}");
  }

  @Test
  void aKustomizationWhoseRemoteBaseNeverAnswersTimesOutAndLeavesNoProcess() throws Exception {
    try (NeverAnsweringServer server = new NeverAnsweringServer()) {
      repo.write(
              "apps/hung/kustomization.yaml",
              "resources:\n- cm.yaml\n- " + server.url("/base/cm.yaml") + "\n")
          .write("apps/hung/cm.yaml", configMap("local"));

      assertTimeoutPreemptively(
          GUARD,
          () ->
              assertThatThrownBy(() -> renderer.render(app("{\"path\":\"apps/hung\"}"), repo.root))
                  .isInstanceOf(RenderException.class)
                  .hasMessageContaining("kustomize build apps/hung timed out after 2s"));
      assertThat(server.accepted()).as("kustomize did reach the server").isPositive();
    }
    ChildProcesses.assertNoneLeft("kubectl");
  }

  void chart(String template) {
    repo.write("charts/c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
        .write("charts/c/templates/t.yaml", template);
  }

  @Test
  void aHelmChartWithHugeOutputIsRefusedWhileItStreams() {
    // About 4 MB of output against a 1 MiB limit.
    chart(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n"
            + "{{- range $i := until 100000 }}\n  k{{ $i }}: \"0123456789012345678901234567\"\n"
            + "{{- end }}\n");

    assertTimeoutPreemptively(
        GUARD,
        () ->
            assertThatThrownBy(() -> patient.render(app("{\"path\":\"charts/c\"}"), repo.root))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("helm template of charts/c wrote more than 1048576 bytes")
                .hasMessageContaining("split it into smaller Applications"));
    ChildProcesses.assertNoneLeft(HelmTemplateMain.class.getSimpleName());
  }

  @Test
  void aHelmRenderThatNeverEndsIsKilledAtTheDeadline() {
    // Ten billion empty iterations: Helm computes for hours without writing anything.
    chart(
        "{{- range $i := until 100000 }}{{- range $j := until 100000 }}{{- end }}{{- end }}\n"
            + configMap("never"));

    assertTimeoutPreemptively(
        GUARD,
        () ->
            assertThatThrownBy(() -> renderer.render(app("{\"path\":\"charts/c\"}"), repo.root))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("helm template of charts/c timed out after 2s")
                .hasMessageContaining("--render-timeout"));
    ChildProcesses.assertNoneLeft(HelmTemplateMain.class.getSimpleName());
  }

  @Test
  void aHelmChartJustUnderTheLimitStillRenders() throws Exception {
    chart(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fits\ndata:\n"
            + "{{- range $i := until 20000 }}\n  k{{ $i }}: \"0123456789012345678901234567\"\n"
            + "{{- end }}\n");

    assertThat(patient.render(app("{\"path\":\"charts/c\"}"), repo.root))
        .singleElement()
        .satisfies(cm -> assertThat(cm.path("data").size()).isEqualTo(20000));
  }
}
