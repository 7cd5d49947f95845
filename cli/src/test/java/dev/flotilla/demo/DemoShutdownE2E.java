package dev.flotilla.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.testkit.Postmasters;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flotilla demo} as a process, turned into a Helm user's demo (one app becomes a chart),
 * then stopped with SIGTERM: it used to ignore every signal after a Helm render, and its
 * PostgreSQL, stopped by the library's own shutdown hook first, made the control plane log stack
 * traces.
 */
class DemoShutdownE2E {

  @TempDir Path home;
  private Process demo;
  private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

  @AfterEach
  void kill() {
    if (demo != null) {
      demo.destroyForcibly();
    }
  }

  @Test
  void sigtermAfterAHelmRenderStopsTheDemoWithin10sWithPostgresAndNoStackTrace() throws Exception {
    demo = startDemo();
    await()
        .atMost(Duration.ofSeconds(180))
        .until(() -> !demo.isAlive() || lines.stream().anyMatch(l -> l.contains("Press Ctrl-C")));
    assertThat(demo.isAlive()).as("demo running; output:%n%s", output()).isTrue();
    long postmaster = Postmasters.pidOf(postgresDir());

    makeCacheAHelmChart(home.resolve("demo/infra-repo"));
    Config dev = Config.fromKubeconfig(Files.readString(home.resolve("demo/kubeconfig-dev.yaml")));
    try (KubernetesClient cluster = new KubernetesClientBuilder().withConfig(dev).build()) {
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                ConfigMap cm =
                    cluster.configMaps().inNamespace("cache").withName("rendered-by-helm").get();
                assertThat(cm).as("rendered by Helm in the demo's agent").isNotNull();
                assertThat(cm.getData()).containsEntry("chart", "cache-0.1.0");
              });
    }
    int before = lines.size();

    // SIGTERM through the handle: Process.destroy() would also close our end of its output.
    demo.toHandle().destroy();

    assertThat(demo.waitFor(10, TimeUnit.SECONDS))
        .as("the demo exited within 10 s of SIGTERM; output:%n%s", output())
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ProcessHandle.of(postmaster).map(p -> !p.isAlive()).orElse(true));
    // The reader thread may still be draining the pipe.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(List.copyOf(lines)).contains("==> stopped"));
    List<String> all = List.copyOf(lines);
    List<String> shutdown = all.subList(before, all.size());
    assertThat(shutdown).contains("stopping the demo…");
    assertThat(shutdown)
        .as("shutdown output:%n%s", String.join("\n", shutdown))
        .noneMatch(l -> l.matches("\\s+at [\\w.$]+\\(.*\\)"))
        .noneMatch(l -> l.contains("Exception") || l.contains("cannot record"));
  }

  /** apps/cache becomes a chart: its manifests as templates, plus one that only Helm renders. */
  private static void makeCacheAHelmChart(Path repo) throws Exception {
    Path app = repo.resolve("apps/cache");
    Path templates = Files.createDirectories(app.resolve("templates"));
    try (Stream<Path> files = Files.list(app)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.move(f, templates.resolve(f.getFileName()));
      }
    }
    Files.writeString(app.resolve("Chart.yaml"), "apiVersion: v2\nname: cache\nversion: 0.1.0\n");
    Files.writeString(
        templates.resolve("rendered-by-helm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered-by-helm\n"
            + "data:\n  chart: {{ printf \"%s-%s\" .Chart.Name .Chart.Version | quote }}\n");
    try (Git git = Git.open(repo.toFile())) {
      git.add().addFilepattern(".").call();
      git.add().setUpdate(true).addFilepattern(".").call();
      PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
      git.commit()
          .setMessage("cache as a Helm chart")
          .setAuthor(who)
          .setCommitter(who)
          .setSign(false)
          .call();
    }
  }

  private Path postgresDir() throws IOException {
    try (Stream<Path> walk = Files.walk(home.resolve("demo"), 4)) {
      return walk.filter(p -> p.getFileName().toString().equals("postmaster.pid"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no postmaster.pid under " + home))
          .getParent();
    }
  }

  private String output() {
    return String.join("\n", lines);
  }

  private Process startDemo() throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.flotilla.cli.FlotillaCli",
                "demo",
                "--poll-interval",
                "1s",
                "--verbose")
            .redirectErrorStream(true);
    builder.environment().put("FLOTILLA_HOME", home.toString());
    Process process = builder.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // The process went away.
              }
            },
            "demo-output");
    reader.setDaemon(true);
    reader.start();
    return process;
  }
}
