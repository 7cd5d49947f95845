package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Helm child's side of the protocol, in-process: what it reads and how it fails. */
class HelmTemplateMainTest {

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(byte[] stdin) {
    return HelmTemplateMain.run(
        new ByteArrayInputStream(stdin), out, new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  static byte[] encode(HelmTemplateRequest request) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    request.writeTo(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  @Test
  void aRequestSurvivesTheTripThroughStdin() throws Exception {
    HelmTemplateRequest request =
        new HelmTemplateRequest(
            "/lib/helm.so",
            "/repo/charts/web",
            "rel",
            "ns",
            List.of("/repo/a.yaml", "/tmp/b.yaml"),
            List.of(new HelmTemplateRequest.Parameter("image.tag", "1.2 – ünïcode,=x")));

    assertThat(
            HelmTemplateRequest.readFrom(
                new DataInputStream(new ByteArrayInputStream(encode(request)))))
        .isEqualTo(request);
  }

  @Test
  void aTruncatedRequestIsRefused() {
    assertThat(run(new byte[] {0, 0, 0, 9, 'x'})).isEqualTo(HelmTemplateMain.EXIT_BAD_REQUEST);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid request from the agent");
    assertThat(out.size()).isZero();
  }

  @Test
  void aMissingHelmLibraryIsAFailureWithAMessage() throws Exception {
    int exit =
        run(
            encode(
                new HelmTemplateRequest(
                    "/nonexistent/helm.so", "/nonexistent", "r", "ns", List.of(), List.of())));

    assertThat(exit).isEqualTo(HelmTemplateMain.EXIT_FAILED);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("/nonexistent/helm.so");
  }
}
