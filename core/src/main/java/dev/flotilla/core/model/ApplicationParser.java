package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.time.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one reader of Argo CD Application documents. Field names follow Argo CD so that existing
 * Applications work unchanged. A known field with the wrong type is an {@link
 * IllegalArgumentException} naming the field by its path ({@code spec.source.path must be a
 * string}); fields the model does not know are kept in the records' {@code unknown} objects.
 */
public final class ApplicationParser {

  private static final Set<String> DOCUMENT = Set.of("metadata", "spec");
  private static final Set<String> METADATA =
      Set.of("name", "namespace", "labels", "annotations", "finalizers");
  private static final Set<String> SPEC =
      Set.of("project", "source", "sources", "destination", "syncPolicy", "ignoreDifferences");
  private static final Set<String> SOURCE =
      Set.of("repoURL", "path", "targetRevision", "chart", "helm", "kustomize", "directory");
  private static final Set<String> HELM =
      Set.of(
          "releaseName",
          "namespace",
          "valueFiles",
          "ignoreMissingValueFiles",
          "values",
          "valuesObject",
          "parameters",
          "skipCrds");
  private static final Set<String> KUSTOMIZE =
      Set.of("namePrefix", "nameSuffix", "namespace", "images");
  private static final Set<String> DIRECTORY = Set.of("recurse", "include", "exclude");
  private static final Set<String> DESTINATION = Set.of("server", "name", "namespace");
  private static final Set<String> SYNC_POLICY = Set.of("automated", "syncOptions", "retry");
  private static final Set<String> IGNORE_DIFFERENCE =
      Set.of("group", "kind", "name", "namespace", "jsonPointers");

  private ApplicationParser() {}

  /**
   * Parses a whole Application document (apiVersion, kind, metadata, spec).
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public static Application parse(JsonNode document) {
    JsonCursor root = new JsonCursor(document, "application");
    if (root.isMissing() || !root.node.isObject()) {
      throw new IllegalArgumentException(
          "an Application document must be an object, got "
              + (document == null ? "nothing" : document.getNodeType()));
    }
    JsonCursor meta = new JsonCursor(document.get("metadata"), "metadata");
    meta.requireObject();
    return new Application(
        meta.string("name"),
        meta.string("namespace"),
        meta.stringMap("labels"),
        meta.stringMap("annotations"),
        meta.stringList("finalizers"),
        spec(new JsonCursor(document.get("spec"), "spec")),
        meta.unknown(METADATA),
        root.unknown(DOCUMENT));
  }

  /**
   * Parses an Application's {@code spec}; absent (null) reads as an empty spec.
   *
   * @throws IllegalArgumentException naming the offending field
   */
  public static ApplicationSpec parseSpec(JsonNode spec) {
    return spec(new JsonCursor(spec, "spec"));
  }

  private static ApplicationSpec spec(JsonCursor spec) {
    spec.requireObject();
    JsonCursor single = spec.child("source");
    List<Source> sources = new ArrayList<>();
    for (JsonCursor s : spec.child("sources").elements()) {
      sources.add(source(s));
    }
    List<IgnoreDifference> ignored = new ArrayList<>();
    for (JsonCursor d : spec.child("ignoreDifferences").elements()) {
      ignored.add(ignoreDifference(d));
    }
    return new ApplicationSpec(
        spec.string("project"),
        single.isMissing() ? null : source(single),
        sources,
        destination(spec.child("destination")),
        syncPolicy(spec.child("syncPolicy")),
        ignored,
        spec.unknown(SPEC));
  }

  private static Source source(JsonCursor src) {
    src.requireObject();
    JsonCursor dir = src.child("directory");
    JsonCursor helm = src.child("helm");
    JsonCursor kust = src.child("kustomize");
    return new Source(
        src.string("repoURL"),
        src.string("path"),
        src.string("targetRevision"),
        src.string("chart"),
        helm.isMissing() ? null : helm(helm),
        kust.isMissing()
            ? null
            : new Kustomize(
                kust.string("namePrefix"),
                kust.string("nameSuffix"),
                kust.string("namespace"),
                kust.stringList("images"),
                kust.unknown(KUSTOMIZE)),
        dir.isMissing()
            ? null
            : new Directory(
                dir.bool("recurse"),
                dir.string("include"),
                dir.string("exclude"),
                dir.unknown(DIRECTORY)),
        src.unknown(SOURCE));
  }

  private static Helm helm(JsonCursor helm) {
    helm.requireObject();
    List<HelmParameter> params = new ArrayList<>();
    for (JsonCursor p : helm.child("parameters").elements()) {
      p.requireObject();
      params.add(
          new HelmParameter(p.requiredString("name"), p.string("value"), p.bool("forceString")));
    }
    return new Helm(
        helm.string("releaseName"),
        helm.string("namespace"),
        helm.stringList("valueFiles"),
        helm.bool("ignoreMissingValueFiles"),
        helm.string("values"),
        helm.object("valuesObject"),
        params,
        helm.bool("skipCrds"),
        helm.unknown(HELM));
  }

  private static Destination destination(JsonCursor dest) {
    if (dest.isMissing()) {
      return Destination.NONE;
    }
    dest.requireObject();
    return new Destination(
        dest.string("server"),
        dest.string("name"),
        dest.string("namespace"),
        dest.unknown(DESTINATION));
  }

  private static SyncPolicy syncPolicy(JsonCursor policy) {
    if (policy.isMissing()) {
      return null;
    }
    policy.requireObject();
    JsonCursor auto = policy.child("automated");
    Automated automated = null;
    if (!auto.isMissing()) {
      auto.requireObject();
      automated =
          new Automated(
              auto.bool("prune"),
              auto.bool("selfHeal"),
              auto.bool("allowEmpty"),
              auto.optionalBool("enabled"));
    }
    JsonCursor retryNode = policy.child("retry");
    Retry retry = null;
    if (!retryNode.isMissing()) {
      retryNode.requireObject();
      JsonCursor backoff = retryNode.child("backoff");
      retry =
          new Retry(
              retryNode.integer("limit"),
              backoff.isMissing()
                  ? null
                  : new Backoff(
                      duration(backoff, "duration"),
                      backoff.integer("factor"),
                      duration(backoff, "maxDuration")));
    }
    return new SyncPolicy(
        automated, policy.stringList("syncOptions"), retry, policy.unknown(SYNC_POLICY));
  }

  private static IgnoreDifference ignoreDifference(JsonCursor d) {
    d.requireObject();
    return new IgnoreDifference(
        d.string("group"),
        d.requiredString("kind"),
        d.string("name"),
        d.string("namespace"),
        d.stringList("jsonPointers"),
        d.unknown(IGNORE_DIFFERENCE));
  }

  /** Argo CD writes backoffs as Go durations; checked here so that the error names the field. */
  private static String duration(JsonCursor backoff, String field) {
    String text = backoff.string(field);
    if (text != null) {
      try {
        Durations.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(backoff.path(field) + ": " + e.getMessage(), e);
      }
    }
    return text;
  }
}
