package dev.flotilla.generators.generator;

import dev.flotilla.generators.ClusterInfo;
import dev.flotilla.generators.GeneratorInputs;
import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inputs for one generation run that read each repository revision (and list its directories) at
 * most once, however many matrix combinations ask for it: a list × git matrix over 100 elements
 * would otherwise resolve the same tree 100 times. Also makes every generator of one run see the
 * same snapshot of a branch. Not thread-safe; generators run on one thread.
 */
public final class SnapshotCache implements GeneratorInputs {

  private record Key(String repoUrl, String revision) {}

  private final GeneratorInputs inputs;
  private final Map<Key, Object> trees = new HashMap<>();
  private final Map<GitTreeSnapshot, List<String>> directories = new IdentityHashMap<>();
  private List<ClusterInfo> clusters;

  public SnapshotCache(GeneratorInputs inputs) {
    this.inputs = inputs;
  }

  @Override
  public List<ClusterInfo> clusters() {
    if (clusters == null) {
      clusters = List.copyOf(inputs.clusters());
    }
    return clusters;
  }

  @Override
  public GitTreeSnapshot gitTree(String repoUrl, String revision) throws GitInputException {
    Key key = new Key(repoUrl, revision);
    Object cached = trees.get(key);
    if (cached == null) {
      try {
        cached = inputs.gitTree(repoUrl, revision);
      } catch (GitInputException e) {
        cached = e;
      }
      trees.put(key, cached);
    }
    if (cached instanceof GitInputException e) {
      throw new GitInputException(e.getMessage(), e);
    }
    return (GitTreeSnapshot) cached;
  }

  /** The directories of a snapshot, computed once. */
  List<String> directories(GitTreeSnapshot tree) {
    return directories.computeIfAbsent(tree, t -> RepoPaths.directories(t.files()));
  }
}
