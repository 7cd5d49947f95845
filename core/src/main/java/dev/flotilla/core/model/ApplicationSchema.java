package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every field of Argo CD's {@code Application} (its CRD schema, v2.x/v3.x), with its type: the
 * strict check of a hand-written manifest. Unlike {@link ApplicationParser}, which keeps what it
 * does not know so generated documents survive a round trip, this refuses a field Argo CD does not
 * have (as {@code kubectl apply}'s strict field validation does), so a typo ({@code valueFile},
 * {@code selfheal}) is an error naming the field instead of a setting silently ignored.
 */
final class ApplicationSchema {

  /** What a field may hold. */
  sealed interface Shape permits Scalar, ObjectShape, ListOf, MapOf, AnyObject {}

  /** A string, boolean, integer, or an int-or-string (Kubernetes' IntOrString). */
  enum Scalar implements Shape {
    STRING,
    BOOLEAN,
    INTEGER,
    INT_OR_STRING;

    String describe() {
      return switch (this) {
        case STRING -> "a string";
        case BOOLEAN -> "true or false";
        case INTEGER -> "an integer";
        case INT_OR_STRING -> "an integer or a string";
      };
    }

    boolean accepts(JsonNode n) {
      return switch (this) {
        case STRING -> n.isTextual();
        case BOOLEAN -> n.isBoolean();
        case INTEGER -> n.isIntegralNumber();
        case INT_OR_STRING -> n.isIntegralNumber() || n.isTextual();
      };
    }
  }

  /** An object with exactly these fields (each optional). */
  record ObjectShape(Map<String, Shape> fields) implements Shape {
    ObjectShape {
      fields = Map.copyOf(fields);
    }
  }

  record ListOf(Shape element) implements Shape {}

  /** A map with free keys (labels, annotations). */
  record MapOf(Shape value) implements Shape {}

  /** Free-form content (Helm's valuesObject, a Kustomize patch's options...). */
  record AnyObject() implements Shape {}

  static final Scalar STRING = Scalar.STRING;
  static final Scalar BOOLEAN = Scalar.BOOLEAN;
  static final Scalar INTEGER = Scalar.INTEGER;
  static final ListOf STRINGS = new ListOf(STRING);
  static final MapOf STRING_MAP = new MapOf(STRING);

  private static final ObjectShape NAME_VALUE = object("name", STRING, "value", STRING);

  static final ObjectShape HELM =
      object(
          "valueFiles", STRINGS,
          "parameters", new ListOf(object("name", STRING, "value", STRING, "forceString", BOOLEAN)),
          "fileParameters", new ListOf(object("name", STRING, "path", STRING)),
          "releaseName", STRING,
          "values", STRING,
          "valuesObject", new AnyObject(),
          "version", STRING,
          "passCredentials", BOOLEAN,
          "ignoreMissingValueFiles", BOOLEAN,
          "skipCrds", BOOLEAN,
          "skipSchemaValidation", BOOLEAN,
          "skipTests", BOOLEAN,
          "namespace", STRING,
          "kubeVersion", STRING,
          "apiVersions", STRINGS);

  static final ObjectShape KUSTOMIZE =
      object(
          "namePrefix", STRING,
          "nameSuffix", STRING,
          "images", STRINGS,
          "commonLabels", STRING_MAP,
          "commonAnnotations", STRING_MAP,
          "commonAnnotationsEnvsubst", BOOLEAN,
          "forceCommonLabels", BOOLEAN,
          "forceCommonAnnotations", BOOLEAN,
          "labelWithoutSelector", BOOLEAN,
          "labelIncludeTemplates", BOOLEAN,
          "version", STRING,
          "namespace", STRING,
          "replicas", new ListOf(object("name", STRING, "count", Scalar.INT_OR_STRING)),
          "patches",
              new ListOf(
                  object(
                      "path",
                      STRING,
                      "patch",
                      STRING,
                      "target",
                      new AnyObject(),
                      "options",
                      new MapOf(BOOLEAN))),
          "components", STRINGS,
          "ignoreMissingComponents", BOOLEAN,
          "kubeVersion", STRING,
          "apiVersions", STRINGS);

  private static final ObjectShape JSONNET_VAR =
      object("name", STRING, "value", STRING, "code", BOOLEAN);

  static final ObjectShape DIRECTORY =
      object(
          "recurse", BOOLEAN,
          "include", STRING,
          "exclude", STRING,
          "jsonnet",
              object(
                  "extVars", new ListOf(JSONNET_VAR),
                  "tlas", new ListOf(JSONNET_VAR),
                  "libs", STRINGS));

  static final ObjectShape PLUGIN =
      object(
          "name", STRING, "env", new ListOf(NAME_VALUE), "parameters", new ListOf(new AnyObject()));

  static final ObjectShape SOURCE =
      object(
          "repoURL", STRING,
          "path", STRING,
          "targetRevision", STRING,
          "chart", STRING,
          "ref", STRING,
          "name", STRING,
          "helm", HELM,
          "kustomize", KUSTOMIZE,
          "directory", DIRECTORY,
          "plugin", PLUGIN);

  static final ObjectShape SYNC_POLICY =
      object(
          "automated",
              object(
                  "prune", BOOLEAN, "selfHeal", BOOLEAN, "allowEmpty", BOOLEAN, "enabled", BOOLEAN),
          "syncOptions", STRINGS,
          "retry",
              object(
                  "limit", INTEGER,
                  "refresh", BOOLEAN,
                  "backoff", object("duration", STRING, "factor", INTEGER, "maxDuration", STRING)),
          "managedNamespaceMetadata", object("labels", STRING_MAP, "annotations", STRING_MAP));

  static final ObjectShape SPEC =
      object(
          "project",
          STRING,
          "source",
          SOURCE,
          "sources",
          new ListOf(SOURCE),
          "destination",
          object("server", STRING, "name", STRING, "namespace", STRING),
          "syncPolicy",
          SYNC_POLICY,
          "ignoreDifferences",
          new ListOf(
              object(
                  "group", STRING,
                  "kind", STRING,
                  "name", STRING,
                  "namespace", STRING,
                  "jsonPointers", STRINGS,
                  "jqPathExpressions", STRINGS,
                  "managedFieldsManagers", STRINGS)),
          "info",
          new ListOf(NAME_VALUE),
          "revisionHistoryLimit",
          INTEGER);

  /** The metadata a manifest may set; what the API server sets is dropped (see the manifest). */
  static final ObjectShape METADATA =
      object(
          "name", STRING,
          "namespace", STRING,
          "labels", STRING_MAP,
          "annotations", STRING_MAP,
          "finalizers", STRINGS);

  private ApplicationSchema() {}

  static ObjectShape object(Object... nameThenShape) {
    Map<String, Shape> fields = new TreeMap<>();
    for (int i = 0; i < nameThenShape.length; i += 2) {
      fields.put((String) nameThenShape[i], (Shape) nameThenShape[i + 1]);
    }
    return new ObjectShape(fields);
  }
}
