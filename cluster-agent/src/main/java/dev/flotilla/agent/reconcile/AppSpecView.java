package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.agent.reconcile.render.chart.ChartSource;
import dev.flotilla.agent.reconcile.source.SourceRefs;
import dev.flotilla.core.model.ApplicationSpec;
import dev.flotilla.core.model.Backoff;
import dev.flotilla.core.model.Destination;
import dev.flotilla.core.model.Directory;
import dev.flotilla.core.model.Helm;
import dev.flotilla.core.model.IgnoreDifference;
import dev.flotilla.core.model.Kustomize;
import dev.flotilla.core.model.Retry;
import dev.flotilla.core.model.Source;
import dev.flotilla.core.model.SyncPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps core's typed spec onto {@link AppSpec}'s records, with Argo CD's defaults for what is
 * absent. Core has already checked every field's type; what is refused here is only what the agent
 * cannot deploy.
 */
final class AppSpecView {

  private static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(5);
  private static final long DEFAULT_FACTOR = 2;
  private static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(3);

  private AppSpecView() {}

  /**
   * Every source: {@code spec.sources} when it has any (Argo CD then ignores {@code source}), else
   * the one {@code source}.
   */
  static List<AppSpec.Source> sources(ApplicationSpec spec) {
    if (spec.sources().isEmpty()) {
      if (spec.source() == null) {
        throw new IllegalArgumentException("spec.source or spec.sources is required");
      }
      return List.of(source(spec.source(), "spec.source"));
    }
    List<AppSpec.Source> sources = new ArrayList<>();
    for (int i = 0; i < spec.sources().size(); i++) {
      sources.add(source(spec.sources().get(i), "spec.sources[" + i + "]"));
    }
    SourceRefs.check(sources);
    return List.copyOf(sources);
  }

  static AppSpec.Source source(Source src) {
    return source(src, "spec.source");
  }

  private static AppSpec.Source source(Source src, String field) {
    // A chart reference the agent cannot fetch is refused here, naming the field, rather than
    // failing later as something else (a Git clone of a Helm repository's URL).
    ChartSource.of(src.repoURL(), src.chart(), src.targetRevision());
    JsonNode ref = src.unknown() == null ? null : src.unknown().get("ref");
    if (ref != null && !ref.isTextual()) {
      throw new IllegalArgumentException(field + ".ref must be a string");
    }
    String refName = ref == null ? "" : ref.asText();
    return new AppSpec.Source(
        text(src.repoURL()),
        src.targetRevision() == null || src.targetRevision().isEmpty()
            ? "HEAD"
            : src.targetRevision(),
        // A ref source without a path only provides files (Argo CD); any other means the root.
        src.path() == null || src.path().isEmpty() ? (refName.isEmpty() ? "." : "") : src.path(),
        directory(src.directory()),
        helm(src.helm()),
        kustomize(src.kustomize()),
        text(src.chart()),
        refName);
  }

  private static AppSpec.Directory directory(Directory d) {
    return d == null
        ? null
        : new AppSpec.Directory(d.recurse(), text(d.include()), text(d.exclude()));
  }

  private static AppSpec.Helm helm(Helm h) {
    if (h == null) {
      return null;
    }
    return new AppSpec.Helm(
        text(h.releaseName()),
        text(h.namespace()),
        h.valueFiles(),
        h.ignoreMissingValueFiles(),
        text(h.values()),
        h.valuesObject(),
        h.parameters().stream()
            .map(p -> new AppSpec.HelmParameter(p.name(), text(p.value()), p.forceString()))
            .toList(),
        h.skipCrds());
  }

  private static AppSpec.Kustomize kustomize(Kustomize k) {
    return k == null
        ? null
        : new AppSpec.Kustomize(
            text(k.namePrefix()), text(k.nameSuffix()), text(k.namespace()), k.images());
  }

  static AppSpec.Destination destination(Destination d) {
    return new AppSpec.Destination(text(d.server()), text(d.name()), text(d.namespace()));
  }

  static AppSpec.SyncPolicy syncPolicy(SyncPolicy p) {
    if (p == null) {
      return AppSpec.SyncPolicy.MANUAL;
    }
    AppSpec.Automated automated =
        p.isAutomated()
            ? new AppSpec.Automated(
                p.automated().prune(), p.automated().selfHeal(), p.automated().allowEmpty())
            : null;
    return new AppSpec.SyncPolicy(automated, SyncOptions.parse(p.syncOptions()), retry(p.retry()));
  }

  private static AppSpec.Retry retry(Retry r) {
    if (r == null) {
      return null;
    }
    Backoff b = r.backoff() == null ? new Backoff(null, null, null) : r.backoff();
    return new AppSpec.Retry(
        r.limit() == null ? 0 : r.limit().intValue(),
        b.durationOr(DEFAULT_BACKOFF),
        (int) (b.factor() == null ? DEFAULT_FACTOR : b.factor()),
        b.maxDurationOr(DEFAULT_MAX_BACKOFF));
  }

  static AppSpec.IgnoreDifference ignoreDifference(IgnoreDifference d) {
    return new AppSpec.IgnoreDifference(
        text(d.group()), d.kind(), text(d.name()), text(d.namespace()), d.jsonPointers());
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
