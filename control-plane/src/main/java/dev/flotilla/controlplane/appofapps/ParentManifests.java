package dev.flotilla.controlplane.appofapps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controlplane.git.GitReads;
import dev.flotilla.controlplane.git.GitRepositories;
import dev.flotilla.core.digest.Digests;
import dev.flotilla.core.model.Application;
import dev.flotilla.core.model.Source;
import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import dev.flotilla.render.ManifestRenderer;
import dev.flotilla.render.RenderException;
import dev.flotilla.render.RenderLimits;
import dev.flotilla.render.RenderRequest;
import dev.flotilla.render.RenderSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the Argo CD objects in one Application's manifests from Git, with the agent's renderer.
 * Blocking (JGit, Helm, Kustomize): call on a worker, through {@link GitReads}.
 *
 * <p>Kept cheap for many Applications: a result is cached by repository URL, resolved commit, path
 * and source parameters, so an Application is rendered again only when one of them changes. Before
 * rendering, the commit's files are searched for {@value #MARKER} (the start of every Argo CD
 * apiVersion): an Application none of whose files could declare one (files under its path; for Helm
 * also its value files and inline values; for Kustomize, whose bases may be anywhere, the whole
 * commit) is not rendered at all. What a file holds is read once per commit and shared by every
 * Application of that repository.
 */
final class ParentManifests {

  /** Every Argo CD apiVersion starts so; annotation keys such as argocd.argoproj.io/... do not. */
  static final String MARKER = "argoproj.io/v1";

  private static final int RENDERS_KEPT = 4096;
  private static final int COMMITS_KEPT = 64;
  private static final long MAX_SCANNED_FILE = 8L << 20;

  /** The children found at one key: the objects, or why they could not be read. */
  record Found(String key, Optional<String> error, List<ObjectNode> objects) {
    static Found none(String key) {
      return new Found(key, Optional.empty(), List.of());
    }

    static Found error(String key, String why) {
      return new Found(key, Optional.of(why), List.of());
    }
  }

  private final GitRepositories git;
  private final ManifestRenderer renderer;
  private final Map<String, Found> rendered = lru(RENDERS_KEPT);

  private final Map<String, GitTreeSnapshot> snapshots = lru(COMMITS_KEPT);

  /** Per "url\0sha": per file, whether it holds the marker. */
  private final Map<String, Map<String, Boolean>> marked = lru(COMMITS_KEPT);

  ParentManifests(GitRepositories git, RenderLimits limits) {
    this.git = git;
    this.renderer = new ManifestRenderer(limits);
  }

  /**
   * The Argo CD objects in {@code parent}'s manifests at {@code revision} (its stored commit; empty
   * to resolve its targetRevision). Never throws for what Git or the manifests hold: that is a
   * {@link Found#error}.
   */
  Found read(String name, Application parent, String revision, GitReads reads) {
    Source src = parent.spec().source();
    if (src == null) {
      // Several sources: not read for children (Argo CD users point a root app at one path).
      return Found.none("");
    }
    RenderSource source;
    try {
      source = RenderSource.of(src);
    } catch (IllegalArgumentException e) {
      return Found.error("", e.getMessage());
    }
    if (source.isChart() || source.repoURL().isEmpty()) {
      return Found.none(""); // a chart repository is read by agents only
    }
    String namespace = parent.spec().destination().namespace();
    String url = source.repoURL();
    String sha;
    try {
      sha = reads.resolve(url, revision.isEmpty() ? source.targetRevision() : revision);
    } catch (GitInputException e) {
      return Found.error("", e.getMessage());
    }
    String key =
        String.join(
            "\u0000",
            url,
            sha,
            source.path(),
            Digests.sha256Hex(name + "\u0000" + namespace + "\u0000" + source));
    synchronized (rendered) {
      Found cached = rendered.get(key);
      if (cached != null) {
        return cached;
      }
    }
    Found found = readNow(key, name, namespace, url, sha, source, reads);
    if (found.error().isEmpty() || !found.error().get().contains("is being fetched")) {
      synchronized (rendered) {
        rendered.put(key, found);
      }
    }
    return found;
  }

  private Found readNow(
      String key,
      String name,
      String namespace,
      String url,
      String sha,
      RenderSource source,
      GitReads reads) {
    try {
      GitTreeSnapshot snapshot = snapshot(url, sha, reads);
      if (!mayDeclareChildren(url, sha, snapshot, source)) {
        return Found.none(key);
      }
      Path root = git.checkout(url, sha);
      List<ObjectNode> objects =
          renderer.render(new RenderRequest(name, source, namespace), root).stream()
              .filter(ChildDocuments::isChild)
              .toList();
      return new Found(key, Optional.empty(), objects);
    } catch (GitInputException | RenderException e) {
      return Found.error(key, e.getMessage());
    }
  }

  /** The commit's file list, listed once and shared by every Application of that commit. */
  private GitTreeSnapshot snapshot(String url, String sha, GitReads reads)
      throws GitInputException {
    String key = url + "\u0000" + sha;
    synchronized (snapshots) {
      GitTreeSnapshot known = snapshots.get(key);
      if (known != null) {
        return known;
      }
    }
    GitTreeSnapshot listed = reads.snapshot(url, sha);
    synchronized (snapshots) {
      snapshots.put(key, listed);
    }
    return listed;
  }

  private boolean mayDeclareChildren(
      String url, String sha, GitTreeSnapshot snapshot, RenderSource source)
      throws GitInputException {
    String dir = normalised(source.path());
    boolean kustomize = source.kustomize() != null || hasKustomization(snapshot, dir);
    if (source.helm() != null && source.helm().values().contains(MARKER)) {
      return true;
    }
    List<String> valueFiles = source.helm() == null ? List.of() : source.helm().valueFiles();
    for (String file : snapshot.files()) {
      boolean relevant =
          kustomize
              || dir.isEmpty()
              || file.startsWith(dir + "/")
              || valueFiles.stream().anyMatch(v -> file.endsWith(normalised(v)));
      if (relevant && marked(url, sha, snapshot, file)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasKustomization(GitTreeSnapshot snapshot, String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    return snapshot.files().stream()
        .anyMatch(
            f ->
                f.equals(prefix + "kustomization.yaml")
                    || f.equals(prefix + "kustomization.yml")
                    || f.equals(prefix + "Kustomization"));
  }

  private boolean marked(String url, String sha, GitTreeSnapshot snapshot, String file)
      throws GitInputException {
    Map<String, Boolean> files;
    synchronized (marked) {
      files = marked.computeIfAbsent(url + "\u0000" + sha, k -> new java.util.HashMap<>());
    }
    synchronized (files) {
      Boolean known = files.get(file);
      if (known != null) {
        return known;
      }
    }
    boolean has;
    try {
      has =
          new String(snapshot.read(file, MAX_SCANNED_FILE), StandardCharsets.ISO_8859_1)
              .contains(MARKER);
    } catch (GitInputException e) {
      has = true; // too large to scan: let the renderer decide (and refuse it by its limits)
    }
    synchronized (files) {
      files.put(file, has);
    }
    return has;
  }

  /** A repository path without "./", leading or trailing slashes; "" for the root. */
  static String normalised(String path) {
    String p = path == null ? "" : path.trim();
    while (p.startsWith("./")) {
      p = p.substring(2);
    }
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.equals(".") ? "" : p;
  }

  private static <V> Map<String, V> lru(int size) {
    return Collections.synchronizedMap(
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > size;
          }
        });
  }
}
