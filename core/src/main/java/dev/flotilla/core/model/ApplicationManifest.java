package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.model.ApplicationSchema.AnyObject;
import dev.flotilla.core.model.ApplicationSchema.ListOf;
import dev.flotilla.core.model.ApplicationSchema.MapOf;
import dev.flotilla.core.model.ApplicationSchema.ObjectShape;
import dev.flotilla.core.model.ApplicationSchema.Scalar;
import dev.flotilla.core.model.ApplicationSchema.Shape;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A hand-written Argo CD {@code Application} manifest ({@code argocd app create -f}, {@code kubectl
 * apply}), checked strictly: every field must be one Argo CD has, with its type (see {@link
 * ApplicationSchema}), and what Argo CD requires must be there. The first mistake is an {@link
 * IllegalArgumentException} naming the field by its path.
 *
 * @param application the typed Application
 * @param document the manifest as stored: {@code status}, and metadata the API server sets ({@code
 *     uid}, {@code resourceVersion}...), left out, so a manifest exported from a cluster applies
 *     unchanged
 */
public record ApplicationManifest(Application application, ObjectNode document) {

  public static final String API_VERSION = "argoproj.io/v1alpha1";
  public static final String KIND = "Application";

  /** Argo CD's finalizer: deleting the Application deletes its resources (a cascading delete). */
  public static final String RESOURCES_FINALIZER = "resources-finalizer.argocd.argoproj.io";

  /** Metadata the API server writes; accepted and dropped. */
  private static final Set<String> SERVER_METADATA =
      Set.of(
          "uid",
          "resourceVersion",
          "generation",
          "creationTimestamp",
          "managedFields",
          "selfLink",
          "deletionTimestamp",
          "deletionGracePeriodSeconds",
          "ownerReferences");

  /**
   * Reads and checks a manifest.
   *
   * @throws IllegalArgumentException naming the first field that is wrong
   */
  public static ApplicationManifest read(JsonNode document) {
    if (document == null || !document.isObject()) {
      throw new IllegalArgumentException(
          "an Application manifest must be an object (apiVersion, kind, metadata, spec), got "
              + (document == null ? "nothing" : document.getNodeType()));
    }
    ObjectNode doc = ((ObjectNode) document).deepCopy();
    requireValue(doc, "apiVersion", API_VERSION);
    requireValue(doc, "kind", KIND);
    doc.remove("status");
    if (doc.has("operation")) {
      throw new IllegalArgumentException(
          "operation: not supported in a manifest; start a sync with `flotilla app sync`");
    }
    for (Iterator<String> it = doc.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("apiVersion", "kind", "metadata", "spec").contains(f)) {
        throw unknown(f, Set.of("apiVersion", "kind", "metadata", "spec"), "an Application");
      }
    }
    JsonNode meta = doc.get("metadata");
    if (meta == null || !meta.isObject()) {
      throw new IllegalArgumentException("metadata: required, an object with at least a name");
    }
    ObjectNode metadata = (ObjectNode) meta;
    metadata.remove(SERVER_METADATA);
    if (metadata.has("generateName")) {
      throw new IllegalArgumentException(
          "metadata.generateName: not supported; give the Application a metadata.name");
    }
    check(metadata, ApplicationSchema.METADATA, "metadata");
    JsonNode spec = doc.get("spec");
    if (spec == null || spec.isNull()) {
      throw new IllegalArgumentException("spec: required");
    }
    check(spec, ApplicationSchema.SPEC, "spec");
    Application app = Application.parse(doc);
    requireArgoFields(app, doc.path("spec").path("sources"));
    return new ApplicationManifest(app, doc);
  }

  public String name() {
    return application.name();
  }

  /** Whether deleting it deletes its resources when the delete does not say (Argo CD's rule). */
  public boolean hasResourcesFinalizer() {
    return application.finalizers().contains(RESOURCES_FINALIZER);
  }

  private static void requireValue(ObjectNode doc, String field, String wanted) {
    JsonNode v = doc.get(field);
    if (v == null || !v.isTextual() || !v.asText().equals(wanted)) {
      throw new IllegalArgumentException(
          field
              + ": must be "
              + wanted
              + (v == null
                  ? " (missing)"
                  : ", got " + (v.isTextual() ? v.asText() : v.toString())));
    }
  }

  /** What Argo CD itself refuses an Application without. */
  private static void requireArgoFields(Application app, JsonNode rawSources) {
    if (app.name() == null || app.name().isEmpty()) {
      throw new IllegalArgumentException("metadata.name: required");
    }
    ApplicationSpec spec = app.spec();
    if (spec.project() == null || spec.project().isEmpty()) {
      throw new IllegalArgumentException(
          "spec.project: required (Argo CD's catch-all project is 'default')");
    }
    Destination d = spec.destination();
    boolean server = d.server() != null && !d.server().isEmpty();
    boolean name = d.name() != null && !d.name().isEmpty();
    if (!server && !name) {
      throw new IllegalArgumentException(
          "spec.destination: give the cluster by server (its API URL) or by name");
    }
    if (server && name) {
      throw new IllegalArgumentException(
          "spec.destination: give server or name, not both (as Argo CD requires)");
    }
    if (spec.source() == null && spec.sources().isEmpty()) {
      throw new IllegalArgumentException("spec.source or spec.sources: required");
    }
    if (spec.source() != null) {
      requireRepo(spec.source(), "spec.source");
    }
    Set<String> refs = new HashSet<>();
    for (int i = 0; i < spec.sources().size(); i++) {
      Source s = spec.sources().get(i);
      String at = "spec.sources[" + i + "]";
      requireRepo(s, at);
      String ref = rawSources.path(i).path("ref").asText("");
      ref = ref.isEmpty() ? null : ref;
      if (ref != null && !refs.add(ref)) {
        throw new IllegalArgumentException(at + ".ref: '" + ref + "' is used by another source");
      }
    }
    for (int i = 0; i < spec.sources().size(); i++) {
      Helm helm = spec.sources().get(i).helm();
      if (helm == null) {
        continue;
      }
      for (int j = 0; j < helm.valueFiles().size(); j++) {
        String file = helm.valueFiles().get(j);
        if (file.startsWith("$")) {
          int slash = file.indexOf('/');
          String ref = file.substring(1, slash < 0 ? file.length() : slash);
          if (!refs.contains(ref)) {
            throw new IllegalArgumentException(
                "spec.sources["
                    + i
                    + "].helm.valueFiles["
                    + j
                    + "]: '"
                    + file
                    + "' refers to $"
                    + ref
                    + ", but no source has ref: "
                    + ref);
          }
        }
      }
    }
  }

  private static void requireRepo(Source s, String at) {
    if (s.repoURL() == null || s.repoURL().isEmpty()) {
      throw new IllegalArgumentException(at + ".repoURL: required");
    }
  }

  /** Checks {@code node} against {@code shape}; {@code path} names it in errors. */
  static void check(JsonNode node, Shape shape, String path) {
    if (node == null || node.isNull()) {
      return; // absent and null read alike, as in Kubernetes
    }
    if (shape instanceof Scalar s) {
      if (!s.accepts(node)) {
        throw new IllegalArgumentException(
            path + ": must be " + s.describe() + ", got " + describe(node));
      }
    } else if (shape instanceof AnyObject) {
      requireObject(node, path);
    } else if (shape instanceof ListOf l) {
      if (!node.isArray()) {
        throw new IllegalArgumentException(path + ": must be a list, got " + describe(node));
      }
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), l.element(), path + "[" + i + "]");
      }
    } else if (shape instanceof MapOf m) {
      requireObject(node, path);
      node.fields().forEachRemaining(e -> check(e.getValue(), m.value(), path + "." + e.getKey()));
    } else if (shape instanceof ObjectShape o) {
      requireObject(node, path);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Shape field = o.fields().get(e.getKey());
        if (field == null) {
          throw unknown(path + "." + e.getKey(), o.fields().keySet(), path);
        }
        check(e.getValue(), field, path + "." + e.getKey());
      }
    }
  }

  private static void requireObject(JsonNode node, String path) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(path + ": must be an object, got " + describe(node));
    }
  }

  private static IllegalArgumentException unknown(String path, Set<String> known, String where) {
    String field = path.substring(path.lastIndexOf('.') + 1);
    String close =
        known.stream()
            .filter(k -> distance(k.toLowerCase(Locale.ROOT), field.toLowerCase(Locale.ROOT)) <= 2)
            .findFirst()
            .map(k -> " — did you mean '" + k + "'?")
            .orElse("; known fields: " + String.join(", ", new TreeSet<>(known)));
    return new IllegalArgumentException(
        path + ": unknown field (Argo CD's " + where + " has no such field)" + close);
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case STRING -> "the string \"" + abbreviate(node.asText()) + "\"";
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case BOOLEAN -> node.asText();
      case NUMBER -> node.asText();
      default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
    };
  }

  /** Levenshtein distance, for "did you mean": field names are short. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
