package dev.flotilla.agent.reconcile;

import dev.flotilla.agent.reconcile.source.SourceRefs;
import dev.flotilla.core.model.ApplicationSpec;
import dev.flotilla.core.model.Backoff;
import dev.flotilla.core.model.Destination;
import dev.flotilla.core.model.IgnoreDifference;
import dev.flotilla.core.model.Retry;
import dev.flotilla.core.model.Source;
import dev.flotilla.core.model.SyncPolicy;
import dev.flotilla.render.RenderSource;
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
  static List<RenderSource> sources(ApplicationSpec spec) {
    if (spec.sources().isEmpty()) {
      if (spec.source() == null) {
        throw new IllegalArgumentException("spec.source or spec.sources is required");
      }
      return List.of(RenderSource.of(spec.source(), "spec.source"));
    }
    List<RenderSource> sources = new ArrayList<>();
    for (int i = 0; i < spec.sources().size(); i++) {
      sources.add(RenderSource.of(spec.sources().get(i), "spec.sources[" + i + "]"));
    }
    SourceRefs.check(sources);
    return List.copyOf(sources);
  }

  static RenderSource source(Source src) {
    return RenderSource.of(src);
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
