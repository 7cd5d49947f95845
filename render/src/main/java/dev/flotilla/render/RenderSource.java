package dev.flotilla.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.model.Source;
import dev.flotilla.render.chart.ChartSource;
import java.util.List;

/**
 * Where an Application's manifests come from, with Argo CD's defaults filled in: a path in a Git
 * repository, rendered by type, or a Helm chart from a Helm repository or OCI registry ({@code
 * chart} set, or an {@code oci://} repoURL). The agent and the control plane (App of Apps) read a
 * source through this one view, so both render it alike.
 *
 * @param path the path in Git; empty only for a source with {@code ref} and no path
 * @param chart {@code spec.source.chart}, empty when absent
 * @param ref the name other sources' Helm value files use ({@code $ref/values.yaml}) in a
 *     multi-source Application, empty when absent
 */
public record RenderSource(
    String repoURL,
    String targetRevision,
    String path,
    Directory directory,
    Helm helm,
    Kustomize kustomize,
    String chart,
    String ref) {

  /**
   * Core's typed source with Argo CD's defaults (revision {@code HEAD}, path {@code .}).
   *
   * @throws IllegalArgumentException naming the field when a chart reference is malformed
   */
  public static RenderSource of(Source src) {
    return of(src, "spec.source");
  }

  /**
   * As {@link #of(Source)}, naming {@code field} (e.g. {@code spec.sources[1]}) in errors.
   *
   * @throws IllegalArgumentException naming the field when a chart reference or a ref is malformed
   */
  public static RenderSource of(Source src, String field) {
    // A chart reference that cannot be fetched is refused here, naming the field, rather than
    // failing later as something else (a Git clone of a Helm repository's URL).
    ChartSource.of(src.repoURL(), src.chart(), src.targetRevision());
    JsonNode ref = src.unknown() == null ? null : src.unknown().get("ref");
    if (ref != null && !ref.isTextual()) {
      throw new IllegalArgumentException(field + ".ref must be a string");
    }
    String refName = ref == null ? "" : ref.asText();
    return new RenderSource(
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

  /** True when the manifests come from a chart repository or registry rather than Git. */
  public boolean isChart() {
    return ChartSource.isChart(repoURL, chart);
  }

  /**
   * Argo CD's rule: a source with {@code ref} and neither path nor chart only provides files to the
   * others; nothing of it is rendered.
   */
  public boolean isRefOnly() {
    return !ref.isEmpty() && path.isEmpty() && chart.isEmpty();
  }

  /** Argo's {@code source.directory}: which files of a plain manifest directory are read. */
  public record Directory(boolean recurse, String include, String exclude) {
    public static final Directory DEFAULT = new Directory(false, "", "");
  }

  /** Argo's {@code source.helm}; value files are paths relative to the chart, inside the repo. */
  public record Helm(
      String releaseName,
      String namespace,
      List<String> valueFiles,
      boolean ignoreMissingValueFiles,
      String values,
      JsonNode valuesObject,
      List<HelmParameter> parameters,
      boolean skipCrds) {
    public Helm {
      valueFiles = List.copyOf(valueFiles);
      parameters = List.copyOf(parameters);
    }
  }

  /** One {@code --set} (or {@code --set-string} when forceString) for Helm. */
  public record HelmParameter(String name, String value, boolean forceString) {}

  /** Argo's {@code source.kustomize}; only its presence matters for detection so far. */
  public record Kustomize(
      String namePrefix, String nameSuffix, String namespace, List<String> images) {
    public Kustomize {
      images = List.copyOf(images);
    }
  }

  private static Directory directory(dev.flotilla.core.model.Directory d) {
    return d == null ? null : new Directory(d.recurse(), text(d.include()), text(d.exclude()));
  }

  private static Helm helm(dev.flotilla.core.model.Helm h) {
    if (h == null) {
      return null;
    }
    return new Helm(
        text(h.releaseName()),
        text(h.namespace()),
        h.valueFiles(),
        h.ignoreMissingValueFiles(),
        text(h.values()),
        h.valuesObject(),
        h.parameters().stream()
            .map(p -> new HelmParameter(p.name(), text(p.value()), p.forceString()))
            .toList(),
        h.skipCrds());
  }

  private static Kustomize kustomize(dev.flotilla.core.model.Kustomize k) {
    return k == null
        ? null
        : new Kustomize(
            text(k.namePrefix()), text(k.nameSuffix()), text(k.namespace()), k.images());
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
