package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flotilla.controlplane.tls.ServerTls;
import dev.flotilla.testkit.TestCertificates;
import dev.flotilla.testkit.TestRepo;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Python example, run as a real process with stubs generated from the {@code .proto}
 * alone, against a real control plane's gRPC port: what a client in another language sees.
 */
class ForeignClientE2E {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path EXAMPLE = ROOT.resolve("deploy/examples/list_applications.py");
  private static final Path PROTOS = ROOT.resolve("proto/src/main/proto");
  private static final String INSTALL =
      "install Debian's python3-grpcio python3-protobuf protobuf-compiler protobuf-compiler-grpc"
          + " (or pip install grpcio-tools) to run the Python client example";

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  @AfterEach
  void tearDown() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (repo != null) {
      repo.close();
    }
  }

  /** What one run of a process printed and how it ended. */
  record Run(int exitCode, String stdout, String stderr) {

    /** Output lines after the header, split into columns. */
    List<List<String>> rows() {
      return stdout
          .lines()
          .skip(1)
          .filter(l -> !l.startsWith("Get "))
          .map(l -> List.of(l.trim().split("\\s+")))
          .toList();
    }
  }

  @Test
  void readmeShowsTheExampleVerbatim() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("```python\n" + Files.readString(EXAMPLE) + "```\n");
  }

  @Test
  void pythonClientListsApplicationsWithTheAdminTokenAndShowsNotFound() throws Exception {
    Python python = python();
    String sha = startFleetWithTwoApplications(null, null);

    // No FLOTILLA_TOKEN: the example reads $FLOTILLA_HOME/admin.token, as on the server's machine.
    Run run =
        python.example(
            Map.of("FLOTILLA_HOME", tmp.resolve("fleet/cp").toString()),
            "127.0.0.1:" + fleet.controlPlane().grpcPort());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout().lines().findFirst())
        .hasValueSatisfying(h -> assertThat(h).startsWith("CLUSTER").contains("REVISION"));
    assertThat(run.rows())
        .containsExactly(
            List.of("east", "one", "SYNCED", sha.substring(0, 8)),
            List.of("east", "two", "SYNCED", sha.substring(0, 8)));
    assertThat(run.stdout()).contains("Get no-such-app: NOT_FOUND");
  }

  @Test
  void pythonClientWithAWrongTokenExitsNonZeroSayingUnauthenticated() throws Exception {
    Python python = python();
    startFleetWithTwoApplications(null, null);

    Run run =
        python.example(
            Map.of("FLOTILLA_TOKEN", "flt_wrong"), "127.0.0.1:" + fleet.controlPlane().grpcPort());

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.stderr()).startsWith("UNAUTHENTICATED");
    assertThat(run.rows()).isEmpty();
  }

  @Test
  void pythonClientSpeaksTlsTrustingTheCaInFlotillaCacert() throws Exception {
    Python python = python();
    TestCertificates.Ca ca = TestCertificates.ca(tmp.resolve("certs"), "flotilla-ca");
    TestCertificates.Issued server = ca.issue("control-plane");
    String sha =
        startFleetWithTwoApplications(
            ServerTls.load(server.certFile(), server.keyFile()), ca.certFile());
    String address = "127.0.0.1:" + fleet.controlPlane().grpcPort();
    String token = fleet.controlPlane().adminToken().value();

    Run run =
        python.example(
            Map.of("FLOTILLA_TOKEN", token, "FLOTILLA_CACERT", ca.certFile().toString()), address);

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.rows())
        .containsExactly(
            List.of("east", "one", "SYNCED", sha.substring(0, 8)),
            List.of("east", "two", "SYNCED", sha.substring(0, 8)));
    Run plaintext = python.example(Map.of("FLOTILLA_TOKEN", token), address);
    assertThat(plaintext.exitCode()).isNotZero();
    assertThat(plaintext.stderr()).startsWith("UNAVAILABLE");
  }

  /**
   * Control plane (serving {@code tls}, null: plaintext), cluster east with its agent (trusting
   * {@code agentCa}), and an ApplicationSet making one and two; returns the commit they are at.
   */
  private String startFleetWithTwoApplications(ServerTls tls, Path agentCa) throws Exception {
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "hello"));
    repo.write("apps/two/config.yaml", configMap("two-config", "greeting", "hello"));
    String sha = repo.commit("apps");
    fleet = new Fleet(tmp.resolve("fleet"), Fleet.POLL, tls, agentCa, "east");
    fleet.apply(AppSets.gitDirectories(repo.url()));
    fleet.awaitRevision(sha, "one", "two");
    fleet.awaitSynced("one", "two");
    return sha;
  }

  /** A Python with grpcio and protobuf, and stubs generated for it into a temp directory. */
  private Python python() throws Exception {
    Optional<String> interpreter =
        Stream.concat(onPath("python3").stream(), Stream.of("/usr/bin/python3"))
            .distinct()
            .filter(p -> Files.isExecutable(Path.of(p)))
            .filter(p -> succeeds(List.of(p, "-c", "import grpc, google.protobuf")))
            .findFirst();
    assumeTrue(interpreter.isPresent(), "no python3 with grpc and protobuf: " + INSTALL);
    String py = interpreter.get();

    Path stubs = Files.createDirectories(tmp.resolve("stubs"));
    List<String> protoc;
    Optional<String> compiler = onPath("protoc");
    Optional<String> plugin = onPath("grpc_python_plugin");
    if (compiler.isPresent() && plugin.isPresent()) {
      protoc = List.of(compiler.get(), "--plugin=protoc-gen-grpc_python=" + plugin.get());
    } else {
      assumeTrue(
          succeeds(List.of(py, "-c", "import grpc_tools.protoc")),
          "neither protoc with grpc_python_plugin nor grpc_tools: " + INSTALL);
      protoc = List.of(py, "-m", "grpc_tools.protoc");
    }
    List<String> generate = new ArrayList<>(protoc);
    generate.addAll(
        List.of(
            "-I",
            PROTOS.toString(),
            "--python_out=" + stubs,
            "--grpc_python_out=" + stubs,
            "flotilla/api/v1/api.proto"));
    Run generated = run(generate, Map.of());
    // Debian's python3-grpc-tools (1.14) predates proto3 optional fields: a missing runtime too.
    assumeTrue(
        !generated.stderr().contains("Explicit 'optional' labels are disallowed"),
        "this grpc_tools is too old for api.proto: " + INSTALL);
    assertThat(generated.exitCode()).as("stub generation: " + generated.stderr()).isZero();
    return new Python(py, stubs);
  }

  /** Runs the example with the generated stubs on its path. */
  private record Python(String interpreter, Path stubs) {

    Run example(Map<String, String> env, String address) throws Exception {
      Map<String, String> all = new HashMap<>(env);
      all.put("PYTHONPATH", stubs.toString());
      return run(List.of(interpreter, EXAMPLE.toString(), address), all);
    }
  }

  private static Run run(List<String> command, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile("foreign-client", ".out");
    Path err = Files.createTempFile("foreign-client", ".err");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      // The example's own inputs come only from this test.
      builder.environment().keySet().removeIf(k -> k.startsWith("FLOTILLA_"));
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within 60 s");
      }
      return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static boolean succeeds(List<String> command) {
    try {
      return run(command, Map.of()).exitCode() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  private static Optional<String> onPath(String name) {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .map(Path::toString)
        .findFirst();
  }
}
