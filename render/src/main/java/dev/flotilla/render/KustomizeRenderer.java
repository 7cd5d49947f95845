package dev.flotilla.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a Kustomize directory with {@code kustomize build}, or {@code kubectl kustomize} when
 * only kubectl is installed. Kustomize's own load restrictor keeps it inside the kustomization
 * root; {@link RenderProcess} bounds its time (a remote base on a server that never answers) and
 * its output.
 */
public final class KustomizeRenderer {

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
    RenderProcess.Output out = RenderProcess.run(command, dir, Map.of(), null, display, limits);
    if (out.exitCode() != 0) {
      throw RenderProcess.failed(display, out);
    }
    return parser.parse(new String(out.stdout(), StandardCharsets.UTF_8), display);
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
}
