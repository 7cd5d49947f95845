package dev.flotilla.generators;

import java.util.List;

/**
 * What generators may look at, as immutable snapshots supplied by the caller. The engine never
 * opens a network connection, a Git repository or a Kubernetes client itself.
 */
public interface GeneratorInputs {

  /** The clusters registered with the control plane, for the cluster generator. */
  List<ClusterInfo> clusters();

  /**
   * The tree of {@code repoUrl} at {@code revision} (a branch, tag, HEAD or commit SHA).
   *
   * @throws GitInputException when the repository or revision cannot be read; the engine turns it
   *     into a generator error and never into deleted Applications.
   */
  GitTreeSnapshot gitTree(String repoUrl, String revision) throws GitInputException;
}
