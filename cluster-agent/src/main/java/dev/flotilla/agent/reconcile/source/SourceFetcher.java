package dev.flotilla.agent.reconcile.source;

import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.git.GitCache;
import dev.flotilla.git.GitCommit;
import dev.flotilla.git.GitFetchException;
import dev.flotilla.render.RenderSource;
import dev.flotilla.render.chart.ChartFetchException;
import dev.flotilla.render.chart.ChartFetcher;
import dev.flotilla.render.chart.ChartSource;
import dev.flotilla.render.chart.FetchedChart;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fetches every source of an Application at its own revision: a Git repository is resolved and
 * checked out, a chart fetched and unpacked. Blocking (network and disk): call from a worker.
 */
public final class SourceFetcher {

  private static final int COMMITS_KEPT = 512;

  private final GitCache git;
  private final ChartFetcher charts;

  /** Recently described commits by "url@sha", least recently used first. */
  private final Map<String, GitCommit> commits =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, GitCommit> eldest) {
          return size() > COMMITS_KEPT;
        }
      };

  public SourceFetcher(GitCache git, ChartFetcher charts) {
    this.git = git;
    this.charts = charts;
  }

  /**
   * @param wanted the revision wanted for each source (a SHA the control plane resolved, or a
   *     manual sync's), empty for the source's own {@code targetRevision}
   * @param hard a hard refresh: fetch Git even when the commit is known and download each chart
   *     again (a checkout is kept: it is written from the commit's verified objects)
   * @throws GitFetchException naming the repository when a Git source cannot be fetched
   * @throws ChartFetchException when a chart cannot be fetched
   */
  public List<SourceCheckout> fetch(AppSpec app, List<String> wanted, boolean hard)
      throws GitFetchException, ChartFetchException {
    List<RenderSource> sources = app.allSources();
    List<SourceCheckout> out = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      RenderSource source = sources.get(i);
      if (source.repoURL().isEmpty()) {
        throw new IllegalArgumentException(field(app, i) + ".repoURL is missing");
      }
      String revision =
          i < wanted.size() && !wanted.get(i).isEmpty() ? wanted.get(i) : source.targetRevision();
      Optional<ChartSource> chart = ChartSource.of(source.repoURL(), source.chart(), revision);
      if (chart.isPresent()) {
        FetchedChart fetched = charts.fetch(chart.get(), hard);
        out.add(new SourceCheckout(i, source, fetched.version(), fetched.directory()));
      } else {
        if (hard) {
          git.fetch(source.repoURL());
        }
        String sha = git.resolve(source.repoURL(), revision);
        Path root = git.checkout(source.repoURL(), sha);
        out.add(new SourceCheckout(i, source, sha, root, commit(source.repoURL(), sha)));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Who made {@code sha} and why, from the mirror the checkout came from (no second fetch); commits
   * never change, so each is read once and kept among the most recent.
   */
  private GitCommit commit(String url, String sha) throws GitFetchException {
    String key = url + "@" + sha;
    synchronized (commits) {
      GitCommit known = commits.get(key);
      if (known != null) {
        return known;
      }
    }
    GitCommit read = git.commit(url, sha);
    synchronized (commits) {
      commits.put(key, read);
    }
    return read;
  }

  /** The revision of the whole Application: the one SHA, or every source's joined. */
  public static String revision(AppSpec app, List<SourceCheckout> checkouts) {
    if (!app.isMultiSource()) {
      return checkouts.get(0).revision();
    }
    return SourceRevisions.join(checkouts.stream().map(SourceCheckout::revision).toList());
  }

  private static String field(AppSpec app, int i) {
    return app.isMultiSource() ? "spec.sources[" + i + "]" : "spec.source";
  }
}
