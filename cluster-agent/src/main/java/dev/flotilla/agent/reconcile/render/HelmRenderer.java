package dev.flotilla.agent.reconcile.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import dev.flotilla.agent.reconcile.AppSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Renders a Helm chart stored in the repository with real Helm, in-process (helm-java), the way
 * Argo CD's {@code helm template} does: value files (inside the repository only), then {@code
 * values}, then {@code valuesObject}, then parameters, later ones winning.
 */
public final class HelmRenderer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ManifestParser parser;
  private final RenderLimits limits;

  public HelmRenderer(RenderLimits limits) {
    this.limits = limits;
    this.parser = new ManifestParser(limits);
  }

  public List<ObjectNode> render(
      RepoPaths repo, Path chartDir, AppSpec app, String destinationNamespace)
      throws RenderException {
    refuseEscapingSymlinks(repo, chartDir);
    AppSpec.Helm helm =
        app.source().helm() == null
            ? new AppSpec.Helm("", "", List.of(), false, "", null, List.of(), false)
            : app.source().helm();
    String chartRelative = repo.display(chartDir);
    List<Path> temporary = new ArrayList<>();
    try {
      var template =
          new Helm(chartDir)
              .template()
              .withName(helm.releaseName().isEmpty() ? app.name() : helm.releaseName())
              .withNamespace(helm.namespace().isEmpty() ? destinationNamespace : helm.namespace());
      for (String valueFile : helm.valueFiles()) {
        // Argo resolves value files relative to the chart directory; they must stay in the
        // repository.
        String relativeToRepo =
            chartRelative.isEmpty() || chartRelative.equals(".")
                ? valueFile
                : chartRelative + "/" + valueFile;
        Path resolved;
        try {
          resolved = repo.resolve(relativeToRepo, "helm value file");
        } catch (RenderException e) {
          if (helm.ignoreMissingValueFiles()
              && e.getMessage().endsWith("does not exist in the repository")) {
            continue;
          }
          throw e;
        }
        parser.checkValuesFile(resolved, "helm value file " + relativeToRepo);
        template.withValuesFile(resolved);
      }
      if (!helm.values().isBlank()) {
        parser.checkValues(helm.values(), "helm values of " + app.name());
        template.withValuesFile(writeTemp(helm.values(), temporary));
      }
      if (helm.valuesObject() != null) {
        template.withValuesFile(writeTemp(JSON.writeValueAsString(helm.valuesObject()), temporary));
      }
      for (AppSpec.HelmParameter p : helm.parameters()) {
        template.set(p.name(), p.value());
      }
      String output;
      try {
        output = template.call();
      } catch (RuntimeException e) {
        throw new RenderException(
            "helm template of " + chartRelative + " failed: " + e.getMessage(), e);
      }
      if (output.length() > limits.maxTotalBytes()) {
        throw new RenderException(
            "helm template of "
                + chartRelative
                + " produced "
                + output.length()
                + " bytes, over the limit of "
                + limits.maxTotalBytes());
      }
      List<ObjectNode> objects = parser.parse(output, "helm template of " + chartRelative);
      if (helm.skipCrds()) {
        objects.removeIf(o -> "CustomResourceDefinition".equals(o.path("kind").asText()));
      }
      return objects;
    } catch (IOException e) {
      throw new RenderException(
          "helm values for " + chartRelative + " could not be prepared: " + e, e);
    } finally {
      for (Path p : temporary) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // A leftover temp file in /tmp is harmless.
        }
      }
    }
  }

  private static Path writeTemp(String content, List<Path> temporary) throws IOException {
    Path file = Files.createTempFile("flotilla-values-", ".yaml");
    temporary.add(file);
    Files.writeString(file, content);
    return file;
  }

  /** Helm would follow a symlink in the chart to any file; refuse the chart first instead. */
  private static void refuseEscapingSymlinks(RepoPaths repo, Path chartDir) throws RenderException {
    List<Path> links = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(chartDir)) {
      walk.filter(p -> Files.isSymbolicLink(p))
          .sorted(Comparator.naturalOrder())
          .forEach(links::add);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new RenderException(
          "cannot list chart " + repo.display(chartDir) + ": " + e.getMessage(), e);
    }
    for (Path link : links) {
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        repo.requireInside(link, repo.display(link));
      }
    }
  }
}
