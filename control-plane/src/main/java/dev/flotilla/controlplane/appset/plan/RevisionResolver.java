package dev.flotilla.controlplane.appset.plan;

import dev.flotilla.generators.GitInputException;

/**
 * Resolves an Application's {@code targetRevision} to a commit SHA. The control plane reads only
 * mirrors already fetched (no network), as the generators' Git inputs do; the planner asks only for
 * Applications it is about to store, so a repository that a refused Application names is never
 * read.
 */
@FunctionalInterface
public interface RevisionResolver {

  String resolve(String repoUrl, String revision) throws GitInputException;
}
