package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The one writer of the model back to JSON, the inverse of {@link ApplicationParser}. Like Argo
 * CD's own types it omits empty values (absent text, false, empty lists), and it writes every
 * unknown field back as it was read.
 */
public final class ApplicationWriter {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ApplicationWriter() {}

  public static ObjectNode write(Application app) {
    ObjectNode doc = NODES.objectNode();
    ObjectNode meta = doc.putObject("metadata");
    text(meta, "name", app.name());
    text(meta, "namespace", app.namespace());
    map(meta, "labels", app.labels());
    map(meta, "annotations", app.annotations());
    list(meta, "finalizers", app.finalizers());
    meta.setAll(app.unknownMetadata().deepCopy());
    doc.set("spec", writeSpec(app.spec()));
    // apiVersion and kind come first in the documents users read.
    ObjectNode ordered = NODES.objectNode();
    ordered.setAll(app.unknown().deepCopy());
    ordered.setAll(doc);
    return ordered;
  }

  public static ObjectNode writeSpec(ApplicationSpec spec) {
    ObjectNode out = NODES.objectNode();
    text(out, "project", spec.project());
    if (spec.source() != null) {
      out.set("source", source(spec.source()));
    }
    if (!spec.sources().isEmpty()) {
      ArrayNode sources = out.putArray("sources");
      spec.sources().forEach(s -> sources.add(source(s)));
    }
    ObjectNode dest = destination(spec.destination());
    if (!dest.isEmpty()) {
      out.set("destination", dest);
    }
    if (spec.syncPolicy() != null) {
      out.set("syncPolicy", syncPolicy(spec.syncPolicy()));
    }
    if (!spec.ignoreDifferences().isEmpty()) {
      ArrayNode ignored = out.putArray("ignoreDifferences");
      spec.ignoreDifferences().forEach(d -> ignored.add(ignoreDifference(d)));
    }
    out.setAll(spec.unknown().deepCopy());
    return out;
  }

  private static ObjectNode source(Source s) {
    ObjectNode out = NODES.objectNode();
    text(out, "repoURL", s.repoURL());
    text(out, "path", s.path());
    text(out, "targetRevision", s.targetRevision());
    text(out, "chart", s.chart());
    if (s.helm() != null) {
      out.set("helm", helm(s.helm()));
    }
    if (s.kustomize() != null) {
      Kustomize k = s.kustomize();
      ObjectNode kust = out.putObject("kustomize");
      text(kust, "namePrefix", k.namePrefix());
      text(kust, "nameSuffix", k.nameSuffix());
      text(kust, "namespace", k.namespace());
      list(kust, "images", k.images());
      kust.setAll(k.unknown().deepCopy());
    }
    if (s.directory() != null) {
      Directory d = s.directory();
      ObjectNode dir = out.putObject("directory");
      bool(dir, "recurse", d.recurse());
      text(dir, "include", d.include());
      text(dir, "exclude", d.exclude());
      dir.setAll(d.unknown().deepCopy());
    }
    out.setAll(s.unknown().deepCopy());
    return out;
  }

  private static ObjectNode helm(Helm h) {
    ObjectNode out = NODES.objectNode();
    text(out, "releaseName", h.releaseName());
    text(out, "namespace", h.namespace());
    list(out, "valueFiles", h.valueFiles());
    bool(out, "ignoreMissingValueFiles", h.ignoreMissingValueFiles());
    text(out, "values", h.values());
    if (h.valuesObject() != null) {
      out.set("valuesObject", h.valuesObject().deepCopy());
    }
    if (!h.parameters().isEmpty()) {
      ArrayNode params = out.putArray("parameters");
      for (HelmParameter p : h.parameters()) {
        ObjectNode param = params.addObject();
        text(param, "name", p.name());
        text(param, "value", p.value());
        bool(param, "forceString", p.forceString());
      }
    }
    bool(out, "skipCrds", h.skipCrds());
    out.setAll(h.unknown().deepCopy());
    return out;
  }

  private static ObjectNode destination(Destination d) {
    ObjectNode out = NODES.objectNode();
    text(out, "server", d.server());
    text(out, "name", d.name());
    text(out, "namespace", d.namespace());
    out.setAll(d.unknown().deepCopy());
    return out;
  }

  private static ObjectNode syncPolicy(SyncPolicy p) {
    ObjectNode out = NODES.objectNode();
    if (p.automated() != null) {
      Automated a = p.automated();
      ObjectNode auto = out.putObject("automated");
      bool(auto, "prune", a.prune());
      bool(auto, "selfHeal", a.selfHeal());
      bool(auto, "allowEmpty", a.allowEmpty());
      if (a.enabled() != null) {
        auto.put("enabled", a.enabled());
      }
    }
    list(out, "syncOptions", p.syncOptions());
    if (p.retry() != null) {
      Retry r = p.retry();
      ObjectNode retry = out.putObject("retry");
      number(retry, "limit", r.limit());
      if (r.backoff() != null) {
        Backoff b = r.backoff();
        ObjectNode backoff = retry.putObject("backoff");
        text(backoff, "duration", b.duration());
        number(backoff, "factor", b.factor());
        text(backoff, "maxDuration", b.maxDuration());
      }
    }
    out.setAll(p.unknown().deepCopy());
    return out;
  }

  private static ObjectNode ignoreDifference(IgnoreDifference d) {
    ObjectNode out = NODES.objectNode();
    text(out, "group", d.group());
    text(out, "kind", d.kind());
    text(out, "name", d.name());
    text(out, "namespace", d.namespace());
    list(out, "jsonPointers", d.jsonPointers());
    out.setAll(d.unknown().deepCopy());
    return out;
  }

  private static void text(ObjectNode out, String field, String value) {
    if (value != null) {
      out.put(field, value);
    }
  }

  /** Small numbers are written as ints, as a parser reads them, so that a round trip is equal. */
  private static void number(ObjectNode out, String field, Long value) {
    if (value == null) {
      return;
    }
    if (value == value.intValue()) {
      out.put(field, value.intValue());
    } else {
      out.put(field, value.longValue());
    }
  }

  private static void bool(ObjectNode out, String field, boolean value) {
    if (value) {
      out.put(field, true);
    }
  }

  private static void list(ObjectNode out, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode array = out.putArray(field);
      values.forEach(array::add);
    }
  }

  private static void map(ObjectNode out, String field, Map<String, String> values) {
    if (!values.isEmpty()) {
      ObjectNode object = out.putObject(field);
      values.forEach(object::put);
    }
  }
}
