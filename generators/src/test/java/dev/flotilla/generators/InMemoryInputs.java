package dev.flotilla.generators;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test inputs: clusters and Git trees held in memory, keyed by repo URL and revision. */
public final class InMemoryInputs implements GeneratorInputs {

  private final List<ClusterInfo> clusters = new ArrayList<>();
  private final Map<String, InMemoryTree> trees = new HashMap<>();
  private final Map<String, String> unreachable = new HashMap<>();
  private int gitReads;

  public InMemoryInputs cluster(String name, String server, Map<String, String> labels) {
    clusters.add(new ClusterInfo(name, server, labels, Map.of()));
    return this;
  }

  public InMemoryInputs cluster(ClusterInfo cluster) {
    clusters.add(cluster);
    return this;
  }

  /** Adds a file; {@code revision} null means HEAD. */
  public InMemoryInputs file(String repoUrl, String path, String content) {
    return file(repoUrl, "HEAD", path, content);
  }

  public InMemoryInputs file(String repoUrl, String revision, String path, String content) {
    trees
        .computeIfAbsent(repoUrl + "@" + revision, k -> new InMemoryTree("sha-" + revision))
        .put(path, content.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  public InMemoryInputs unreachable(String repoUrl, String why) {
    unreachable.put(repoUrl, why);
    return this;
  }

  public int gitReads() {
    return gitReads;
  }

  @Override
  public List<ClusterInfo> clusters() {
    return List.copyOf(clusters);
  }

  @Override
  public GitTreeSnapshot gitTree(String repoUrl, String revision) throws GitInputException {
    gitReads++;
    if (unreachable.containsKey(repoUrl)) {
      throw new GitInputException(unreachable.get(repoUrl));
    }
    InMemoryTree tree = trees.get(repoUrl + "@" + revision);
    if (tree == null) {
      throw new GitInputException("no such repository or revision");
    }
    return tree;
  }

  /** A Git tree in memory. */
  public static final class InMemoryTree implements GitTreeSnapshot {
    private final String revision;
    private final TreeMap<String, byte[]> files = new TreeMap<>();

    public InMemoryTree(String revision) {
      this.revision = revision;
    }

    public InMemoryTree put(String path, byte[] content) {
      files.put(path, content);
      return this;
    }

    @Override
    public String revision() {
      return revision;
    }

    @Override
    public List<String> files() {
      return List.copyOf(files.keySet());
    }

    @Override
    public byte[] read(String path, long maxBytes) throws GitInputException {
      byte[] content = files.get(path);
      if (content == null) {
        throw new GitInputException("no such file: " + path);
      }
      if (content.length > maxBytes) {
        throw new GitInputException(
            path + " is " + content.length + " bytes, more than the limit of " + maxBytes);
      }
      return content;
    }
  }
}
