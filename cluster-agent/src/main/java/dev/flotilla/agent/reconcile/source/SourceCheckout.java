package dev.flotilla.agent.reconcile.source;

import dev.flotilla.git.GitCommit;
import dev.flotilla.render.RenderSource;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One source of an Application, fetched: a Git commit checked out, or a chart unpacked.
 *
 * @param index its position in {@code spec.sources} (0 for a single-source Application)
 * @param revision the commit SHA, or the chart version
 * @param root the checkout's root (the chart's directory for a chart)
 * @param commit who made the commit and why; null for a chart
 */
public record SourceCheckout(
    int index, RenderSource source, String revision, Path root, GitCommit commit) {

  /** A chart, or a checkout whose commit is not described. */
  public SourceCheckout(int index, RenderSource source, String revision, Path root) {
    this(index, source, revision, root, null);
  }

  public Optional<GitCommit> commitInfo() {
    return Optional.ofNullable(commit);
  }

  /** "source 2 (https://git.example/values.git)", for messages; 1-based as people count. */
  public String describe() {
    return "source " + (index + 1) + " (" + source.repoURL() + ")";
  }
}
