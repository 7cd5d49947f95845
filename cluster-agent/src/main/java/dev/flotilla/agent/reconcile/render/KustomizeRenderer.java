package dev.flotilla.agent.reconcile.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Renders a Kustomize directory with {@code kustomize build}, or {@code kubectl kustomize} when
 * only kubectl is installed. Kustomize's own load restrictor keeps it inside the kustomization
 * root.
 */
public final class KustomizeRenderer {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final ManifestParser parser;
  private final RenderLimits limits;
  private final String pathEnv;

  public KustomizeRenderer(RenderLimits limits) {
    this(limits, System.getenv().getOrDefault("PATH", ""));
  }

  /** {@code pathEnv} is the search path for the tools (tests use it to simulate a missing tool). */
  public KustomizeRenderer(RenderLimits limits, String pathEnv) {
    this.limits = limits;
    this.parser = new ManifestParser(limits);
    this.pathEnv = pathEnv;
  }

  public List<ObjectNode> render(RepoPaths repo, Path dir) throws RenderException {
    List<String> command = new ArrayList<>();
    Optional<Path> kustomize = onPath("kustomize");
    Optional<Path> kubectl = onPath("kubectl");
    if (kustomize.isPresent()) {
      command.addAll(List.of(kustomize.get().toString(), "build", dir.toString()));
    } else if (kubectl.isPresent()) {
      command.addAll(List.of(kubectl.get().toString(), "kustomize", dir.toString()));
    } else {
      throw new RenderException(
          repo.display(dir)
              + " is a Kustomize directory but neither 'kustomize' nor 'kubectl' is on the agent's PATH");
    }
    String display = "kustomize build " + repo.display(dir);
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).start();
    } catch (IOException e) {
      throw new RenderException(
          display + " could not start " + command.get(0) + ": " + e.getMessage(), e);
    }
    try {
      CompletableFuture<byte[]> stderr =
          CompletableFuture.supplyAsync(() -> readCapped(process.getErrorStream(), 64 * 1024));
      byte[] stdout = readCapped(process.getInputStream(), limits.maxTotalBytes() + 1);
      if (stdout.length > limits.maxTotalBytes()) {
        process.destroyForcibly();
        throw new RenderException(
            display + " produced more than " + limits.maxTotalBytes() + " bytes");
      }
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new RenderException(display + " did not finish within " + TIMEOUT.toSeconds() + " s");
      }
      if (process.exitValue() != 0) {
        String err = new String(stderr.join(), StandardCharsets.UTF_8).trim();
        throw new RenderException(display + " failed: " + err);
      }
      return parser.parse(new String(stdout, StandardCharsets.UTF_8), display);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new RenderException(display + " was interrupted", e);
    }
  }

  private Optional<Path> onPath(String tool) {
    for (String dir : pathEnv.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static byte[] readCapped(InputStream in, long cap) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, (int) Math.min(n, cap - out.size()));
        if (out.size() >= cap) {
          break;
        }
      }
    } catch (IOException e) {
      // The exit code tells the story; partial output is discarded by the caller.
    }
    return out.toByteArray();
  }
}
