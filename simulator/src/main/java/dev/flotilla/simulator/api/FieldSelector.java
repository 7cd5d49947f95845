package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A {@code fieldSelector} ({@code a=b}, {@code a==b}, {@code a!=b}, joined by commas) over the
 * fields a real server supports for the kind: metadata.name and metadata.namespace everywhere,
 * status.phase and spec.nodeName for Pods, involvedObject.*, reason, type and source for Events.
 * Any other field is refused, as a real server does.
 */
final class FieldSelector implements Predicate<ObjectNode> {

  private record Term(String path, String value, boolean negated) {}

  private static final Set<String> COMMON = Set.of("metadata.name", "metadata.namespace");
  private static final Set<String> POD_FIELDS =
      Set.of(
          "status.phase",
          "spec.nodeName",
          "spec.restartPolicy",
          "spec.schedulerName",
          "spec.serviceAccountName",
          "status.podIP",
          "status.nominatedNodeName");
  private static final Set<String> EVENT_FIELDS =
      Set.of(
          "involvedObject.kind",
          "involvedObject.namespace",
          "involvedObject.name",
          "involvedObject.uid",
          "involvedObject.apiVersion",
          "involvedObject.resourceVersion",
          "involvedObject.fieldPath",
          "reason",
          "reportingComponent",
          "source",
          "type");

  private final List<Term> terms;

  private FieldSelector(List<Term> terms) {
    this.terms = terms;
  }

  static FieldSelector parse(ResourceType type, String selector) {
    List<Term> terms = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return new FieldSelector(terms);
    }
    for (String part : selector.split(",")) {
      String p = part.trim();
      int ne = p.indexOf("!=");
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw ApiException.badRequest(
            "invalid field selector \"" + selector + "\": \"" + p + "\" is not field=value");
      }
      String path = (ne > 0 ? p.substring(0, ne) : p.substring(0, eq)).trim();
      String value =
          ne > 0 ? p.substring(ne + 2) : p.substring(p.startsWith("==", eq) ? eq + 2 : eq + 1);
      if (!supported(type, path)) {
        throw ApiException.badRequest(
            "field label not supported: " + path + " (for " + type.groupResource() + ")");
      }
      terms.add(new Term(path, value.trim(), ne > 0));
    }
    return new FieldSelector(terms);
  }

  private static boolean supported(ResourceType type, String path) {
    if (COMMON.contains(path)) {
      return true;
    }
    if (type.group().isEmpty() && type.plural().equals("pods")) {
      return POD_FIELDS.contains(path);
    }
    if (type.plural().equals("events")) {
      return EVENT_FIELDS.contains(path);
    }
    if (type.group().isEmpty() && type.plural().equals("secrets")) {
      return path.equals("type");
    }
    if (type.group().isEmpty() && type.plural().equals("namespaces")) {
      return path.equals("status.phase");
    }
    if (type.group().isEmpty() && type.plural().equals("nodes")) {
      return path.equals("spec.unschedulable");
    }
    return false;
  }

  boolean isEmpty() {
    return terms.isEmpty();
  }

  @Override
  public boolean test(ObjectNode object) {
    for (Term t : terms) {
      boolean equal = value(object, t.path()).equals(t.value());
      if (equal == t.negated()) {
        return false;
      }
    }
    return true;
  }

  private static String value(ObjectNode object, String path) {
    if (path.equals("source")) {
      return object.path("source").path("component").asText("");
    }
    JsonNode node = object;
    for (String part : path.split("\\.")) {
      node = node.path(part);
    }
    return node.isValueNode() ? node.asText() : "";
  }
}
