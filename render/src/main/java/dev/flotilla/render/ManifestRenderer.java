package dev.flotilla.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Renders an Application's source from a checkout into Kubernetes objects. Pure with respect to the
 * cluster: it reads only the repository (and runs Helm or Kustomize on it).
 */
public final class ManifestRenderer {

  /** The file names Kustomize recognises, as Argo CD checks them. */
  static final List<String> KUSTOMIZATION_FILES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  private final DirectoryRenderer directory;
  private final HelmRenderer helm;
  private final KustomizeRenderer kustomize;

  public ManifestRenderer(RenderLimits limits) {
    this(limits, new KustomizeRenderer(limits));
  }

  public ManifestRenderer(RenderLimits limits, KustomizeRenderer kustomize) {
    this.directory = new DirectoryRenderer(limits);
    this.helm = new HelmRenderer(limits);
    this.kustomize = kustomize;
  }

  /** The rendered objects, in source order; throws with a message naming the file or tool. */
  public List<ObjectNode> render(RenderRequest app, Path repoRoot) throws RenderException {
    return render(app, repoRoot, Map.of());
  }

  /**
   * The same, with Helm value files that name another source's ref ({@code $values/x.yaml}) taken
   * from {@code refFiles}, already resolved into that source's checkout.
   */
  public List<ObjectNode> render(RenderRequest app, Path repoRoot, Map<String, Path> refFiles)
      throws RenderException {
    RepoPaths repo = new RepoPaths(repoRoot);
    if (app.source().isChart()) {
      // repoRoot is the fetched chart itself; Argo CD ignores path for a chart source.
      return helm.render(repo, repoRoot, app, app.namespace(), refFiles);
    }
    Path appDir = repo.resolve(app.source().path(), "application path");
    if (!Files.isDirectory(appDir)) {
      throw new RenderException(
          "application path '" + app.source().path() + "' is not a directory");
    }
    return switch (detect(app, appDir)) {
      case HELM -> helm.render(repo, appDir, app, app.namespace(), refFiles);
      case KUSTOMIZE -> {
        refuseUnsupportedKustomizeOptions(app.source().kustomize());
        yield kustomize.render(repo, appDir);
      }
      case DIRECTORY -> directory.render(repo, appDir, app.source().directory());
    };
  }

  /**
   * Argo CD applies these by editing the kustomization in its own scratch checkout; the agent
   * renders from a shared cache it must not modify, so rather than silently deploying other names
   * it refuses.
   */
  private static void refuseUnsupportedKustomizeOptions(RenderSource.Kustomize k)
      throws RenderException {
    if (k == null) {
      return;
    }
    List<String> set = new java.util.ArrayList<>();
    if (!k.namePrefix().isEmpty()) {
      set.add("namePrefix");
    }
    if (!k.nameSuffix().isEmpty()) {
      set.add("nameSuffix");
    }
    if (!k.namespace().isEmpty()) {
      set.add("namespace");
    }
    if (!k.images().isEmpty()) {
      set.add("images");
    }
    if (!set.isEmpty()) {
      throw new RenderException(
          "spec.source.kustomize."
              + String.join(", ", set)
              + " is not supported by the agent yet; put it in the kustomization.yaml in Git");
    }
  }

  /**
   * Argo CD's rule: an explicit {@code helm}, {@code kustomize} or {@code directory} block decides;
   * otherwise a kustomization file means Kustomize, a {@code Chart.yaml} means Helm, else a
   * directory.
   */
  public static SourceType detect(RenderRequest app, Path appDir) {
    RenderSource source = app.source();
    if (source.helm() != null) {
      return SourceType.HELM;
    }
    if (source.kustomize() != null) {
      return SourceType.KUSTOMIZE;
    }
    if (source.directory() != null) {
      return SourceType.DIRECTORY;
    }
    for (String name : KUSTOMIZATION_FILES) {
      if (Files.isRegularFile(appDir.resolve(name))) {
        return SourceType.KUSTOMIZE;
      }
    }
    if (Files.isRegularFile(appDir.resolve("Chart.yaml"))) {
      return SourceType.HELM;
    }
    return SourceType.DIRECTORY;
  }
}
