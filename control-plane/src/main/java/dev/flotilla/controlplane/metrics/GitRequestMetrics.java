package dev.flotilla.controlplane.metrics;

import dev.flotilla.core.metrics.MetricLabels;
import dev.flotilla.core.metrics.SeriesBudget;
import dev.flotilla.git.GitRequestObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;

/**
 * Argo CD's {@code argocd_git_request_total} and {@code argocd_git_request_duration_seconds} (same
 * buckets, same labels), plus the failures Argo CD does not count. The {@code repo} label is
 * normalised and capped: past {@link #MAX_REPOS} repositories, new ones share the "other" series.
 */
public final class GitRequestMetrics implements GitRequestObserver {

  /** Repositories with a series of their own; more are folded into "other". */
  public static final int MAX_REPOS = 500;

  private final SeriesBudget repos = new SeriesBudget(MAX_REPOS);
  private final Counter requests;
  private final Counter failures;
  private final Histogram duration;

  public GitRequestMetrics(PrometheusRegistry registry) {
    requests =
        Counter.builder()
            .name("argocd_git_request_total")
            .help("Number of git requests performed by repo server")
            .labelNames("repo", "request_type")
            .withoutExemplars()
            .register(registry);
    failures =
        Counter.builder()
            .name("flotilla_git_request_failures_total")
            .help("Git requests that failed (timeouts, refusals, unreachable servers).")
            .labelNames("repo", "request_type")
            .withoutExemplars()
            .register(registry);
    duration =
        Histogram.builder()
            .name("argocd_git_request_duration_seconds")
            .help("Git requests duration seconds.")
            .labelNames("repo", "request_type")
            .classicOnly()
            .classicUpperBounds(0.1, 0.25, 0.5, 1, 2, 4, 10, 20)
            .withoutExemplars()
            .register(registry);
  }

  @Override
  public void requestEnded(String url, String requestType, Duration took, boolean failed) {
    String repo = repos.admit(MetricLabels.repo(url));
    requests.labelValues(repo, requestType).inc();
    duration.labelValues(repo, requestType).observe(took.toNanos() / 1e9);
    if (failed) {
      failures.labelValues(repo, requestType).inc();
    }
  }
}
