package dev.flotilla.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl against one simulated cluster's kubeconfig, capturing its output. */
record KubectlRunner(String binary, Path kubeconfig, Path dir) {

  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  /** kubectl on PATH, or null. */
  static String onPath() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, "kubectl");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  Result run(String stdin, Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                binary,
                "--kubeconfig",
                kubeconfig.toString(),
                "--cache-dir",
                dir.resolve("cache").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  Result kubectl(String... args) throws Exception {
    return run(null, Map.of(), args);
  }

  Result ok(String... args) throws Exception {
    Result r = kubectl(args);
    assertThat(r.exit()).as("kubectl %s\n%s", String.join(" ", args), r.all()).isZero();
    return r;
  }

  Result apply(String yaml) throws Exception {
    Result r = run(yaml, Map.of(), "apply", "-f", "-");
    assertThat(r.exit()).as("kubectl apply\n%s", r.all()).isZero();
    return r;
  }
}
