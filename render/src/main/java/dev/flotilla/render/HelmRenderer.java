package dev.flotilla.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Renders a Helm chart stored in the repository with real Helm (helm-java), the way Argo CD's
 * {@code helm template} does: value files (inside the repository only), then {@code values}, then
 * {@code valuesObject}, then parameters, later ones winning.
 *
 * <p>Helm runs in a child JVM ({@link HelmTemplateMain}) under {@link RenderProcess}: a native call
 * in the agent's own process could be neither stopped at the deadline nor bounded in memory.
 */
public final class HelmRenderer {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Helm keeps the whole output, and much garbage, in Go's heap: a chart writing 170 MB grew to 2
   * GB in a minute and 5 GB in all. Go's soft limit makes its collector work harder past 512 MiB
   * (half the growth, measured); the deadline is the hard bound. A hard address-space limit is not
   * possible: Go's runtime reserves gigabytes of address space at start.
   */
  private static final Map<String, String> CHILD_ENV = Map.of("GOMEMLIMIT", "512MiB");

  private final ManifestParser parser;
  private final RenderLimits limits;

  public HelmRenderer(RenderLimits limits) {
    this.limits = limits;
    this.parser = new ManifestParser(limits);
  }

  public List<ObjectNode> render(
      RepoPaths repo, Path chartDir, RenderRequest app, String destinationNamespace)
      throws RenderException {
    return render(repo, chartDir, app, destinationNamespace, Map.of());
  }

  /** {@code refFiles}: value files naming another source's ref, resolved by the caller. */
  public List<ObjectNode> render(
      RepoPaths repo,
      Path chartDir,
      RenderRequest app,
      String destinationNamespace,
      Map<String, Path> refFiles)
      throws RenderException {
    refuseEscapingSymlinks(repo, chartDir);
    RenderSource.Helm helm =
        app.source().helm() == null
            ? new RenderSource.Helm("", "", List.of(), false, "", null, List.of(), false)
            : app.source().helm();
    String chartRelative = repo.display(chartDir);
    String display =
        "helm template of "
            + (app.source().isChart()
                ? "chart "
                    + (app.source().chart().isEmpty()
                        ? app.source().repoURL()
                        : app.source().chart())
                : chartRelative);
    List<Path> temporary = new ArrayList<>();
    try {
      List<String> valuesFiles = new ArrayList<>();
      for (String valueFile : helm.valueFiles()) {
        Path fromRef = refFiles.get(valueFile);
        if (fromRef != null) {
          parser.checkValuesFile(fromRef, "helm value file " + valueFile);
          valuesFiles.add(fromRef.toString());
          continue;
        }
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
        valuesFiles.add(resolved.toString());
      }
      if (!helm.values().isBlank()) {
        parser.checkValues(helm.values(), "helm values of " + app.name());
        valuesFiles.add(writeTemp(helm.values(), temporary).toString());
      }
      if (helm.valuesObject() != null) {
        valuesFiles.add(
            writeTemp(JSON.writeValueAsString(helm.valuesObject()), temporary).toString());
      }
      List<HelmTemplateRequest.Parameter> parameters =
          helm.parameters().stream()
              .map(p -> new HelmTemplateRequest.Parameter(p.name(), p.value()))
              .toList();
      HelmTemplateRequest request =
          new HelmTemplateRequest(
              HelmLibrary.path().toString(),
              chartDir.toString(),
              helm.releaseName().isEmpty() ? app.name() : helm.releaseName(),
              helm.namespace().isEmpty() ? destinationNamespace : helm.namespace(),
              valuesFiles,
              parameters);
      ByteArrayOutputStream encoded = new ByteArrayOutputStream();
      request.writeTo(new DataOutputStream(encoded));
      RenderProcess.Output out =
          RenderProcess.run(
              childCommand(), chartDir, CHILD_ENV, encoded.toByteArray(), display, limits);
      if (out.exitCode() == HelmTemplateMain.EXIT_OUT_OF_MEMORY) {
        // The child's heap is several times the output limit: the output was over it.
        throw RenderProcess.overLimit(display, limits.maxFileBytes());
      }
      if (out.exitCode() != HelmTemplateMain.EXIT_OK) {
        throw RenderProcess.failed(display, out);
      }
      List<ObjectNode> objects =
          parser.parse(new String(out.stdout(), StandardCharsets.UTF_8), display);
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

  /**
   * The same Java and classpath as the agent's own, running {@link HelmTemplateMain}. The heap is
   * sized so that output within the limit always fits (Helm's string, its copy in Java, the
   * writer); the JIT is kept to its quick tier since the process lives for one render.
   */
  private List<String> childCommand() {
    long heapMiB = Math.max(256, 4 * (limits.maxFileBytes() >> 20) + 64);
    return List.of(
        javaExecutable(),
        "-Xmx" + heapMiB + "m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-XX:-UsePerfData",
        "-Djava.awt.headless=true",
        "-cp",
        System.getProperty("java.class.path"),
        HelmTemplateMain.class.getName());
  }

  private static String javaExecutable() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (Files.isExecutable(java)) {
      return java.toString();
    }
    return ProcessHandle.current().info().command().orElse("java");
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
