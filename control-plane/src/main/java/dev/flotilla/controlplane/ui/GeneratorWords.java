package dev.flotilla.controlplane.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An ApplicationSet's generators in words, for people scanning a list: "list of 3 elements",
 * "clusters matching env=prod", "git directories apps/* in REPO@main", "matrix of (…) × (…)". It
 * reads the stored document only (no Git, no clusters), so it never fails: what it does not
 * understand it names as such.
 */
public final class GeneratorWords {

  /** Argo CD generators Flotilla does not run; the parser refuses them, old documents may not. */
  private static final List<String> UNSUPPORTED =
      List.of("scmProvider", "pullRequest", "clusterDecisionResource", "plugin");

  private GeneratorWords() {}

  /** One phrase per entry of {@code spec.generators}, in order. */
  public static List<String> of(JsonObject document) {
    JsonObject spec = document == null ? null : objectOrNull(document.getValue("spec"));
    Object generators = spec == null ? null : spec.getValue("generators");
    List<String> out = new ArrayList<>();
    if (generators instanceof JsonArray list) {
      for (Object entry : list) {
        out.add(entry(entry));
      }
    }
    if (out.isEmpty()) {
      out.add("no generators");
    }
    return out;
  }

  /** One generator entry: its single generator, then its post-{@code selector} if any. */
  static String entry(Object value) {
    JsonObject entry = objectOrNull(value);
    if (entry == null) {
      return "not a generator (expected a map)";
    }
    List<String> types = new ArrayList<>();
    for (String key : entry.fieldNames()) {
      if (!key.equals("selector") && entry.getValue(key) != null) {
        types.add(key);
      }
    }
    if (types.isEmpty()) {
      return "empty generator";
    }
    if (types.size() > 1) {
      return "several generators in one entry: "
          + String.join(", ", types.stream().sorted().toList());
    }
    String type = types.get(0);
    JsonObject spec = objectOrNull(entry.getValue(type));
    String words = spec == null ? type + " generator (not a map)" : generator(type, spec);
    JsonObject selector = objectOrNull(entry.getValue("selector"));
    String where = selector == null ? "" : selector(selector);
    return where.isEmpty() ? words : words + ", only where " + where;
  }

  private static String generator(String type, JsonObject spec) {
    return switch (type) {
      case "list" -> list(spec);
      case "clusters" -> clusters(spec);
      case "git" -> git(spec);
      case "matrix" -> "matrix of " + children(spec, " × ");
      case "merge" -> merge(spec);
      default ->
          UNSUPPORTED.contains(type)
              ? type + " generator (not supported by Flotilla)"
              : "unknown generator '" + type + "'";
    };
  }

  private static String list(JsonObject spec) {
    Object elements = spec.getValue("elements");
    boolean yaml = spec.getValue("elementsYaml") instanceof String s && !s.isBlank();
    String counted =
        elements instanceof JsonArray a ? "list of " + plural(a.size(), "element") : "list";
    if (yaml) {
      return elements instanceof JsonArray
          ? counted + " and elements from YAML"
          : "list of elements from YAML";
    }
    return counted;
  }

  private static String clusters(JsonObject spec) {
    JsonObject selector = objectOrNull(spec.getValue("selector"));
    String where = selector == null ? "" : selector(selector);
    String words = where.isEmpty() ? "all clusters" : "clusters matching " + where;
    return spec.getValue("flatList") instanceof Boolean flat && flat
        ? words + " (as one flat list)"
        : words;
  }

  private static String git(JsonObject spec) {
    String repo = text(spec.getValue("repoURL"));
    String revision = text(spec.getValue("revision"));
    String at =
        (repo.isEmpty() ? "(no repoURL)" : repo) + "@" + (revision.isEmpty() ? "HEAD" : revision);
    if (spec.getValue("directories") instanceof JsonArray dirs && !dirs.isEmpty()) {
      return "git directories " + paths(dirs) + " in " + at;
    }
    if (spec.getValue("files") instanceof JsonArray files && !files.isEmpty()) {
      return "git files " + paths(files) + " in " + at;
    }
    return "git generator without directories or files in " + at;
  }

  /** "apps/*, infra/* except apps/legacy": included paths, then the excluded ones. */
  private static String paths(JsonArray items) {
    List<String> included = new ArrayList<>();
    List<String> excluded = new ArrayList<>();
    for (Object item : items) {
      JsonObject path = objectOrNull(item);
      String p = path == null ? "" : text(path.getValue("path"));
      if (p.isEmpty()) {
        continue;
      }
      if (path.getValue("exclude") instanceof Boolean b && b) {
        excluded.add(p);
      } else {
        included.add(p);
      }
    }
    String words = included.isEmpty() ? "(no path)" : String.join(", ", included);
    return excluded.isEmpty() ? words : words + " except " + String.join(", ", excluded);
  }

  private static String merge(JsonObject spec) {
    List<String> keys = new ArrayList<>();
    if (spec.getValue("mergeKeys") instanceof JsonArray a) {
      a.forEach(k -> keys.add(text(k)));
    }
    String children = children(spec, " with ");
    return keys.isEmpty()
        ? "merge of " + children
        : "merge of " + children + " on " + String.join(", ", keys);
  }

  private static String children(JsonObject spec, String joiner) {
    List<String> parts = new ArrayList<>();
    if (spec.getValue("generators") instanceof JsonArray list) {
      for (Object child : list) {
        parts.add("(" + entry(child) + ")");
      }
    }
    return parts.isEmpty() ? "no generators" : String.join(joiner, parts);
  }

  /**
   * A label selector as {@code kubectl get -l} spells it: {@code env=prod,tier in (a,b),!legacy};
   * empty when it selects everything.
   */
  static String selector(JsonObject selector) {
    List<String> parts = new ArrayList<>();
    JsonObject labels = objectOrNull(selector.getValue("matchLabels"));
    if (labels != null) {
      Map<String, Object> sorted = new TreeMap<>(labels.getMap());
      sorted.forEach((k, v) -> parts.add(k + "=" + text(v)));
    }
    if (selector.getValue("matchExpressions") instanceof JsonArray expressions) {
      for (Object e : expressions) {
        JsonObject expression = objectOrNull(e);
        if (expression != null) {
          parts.add(expression(expression));
        }
      }
    }
    return String.join(",", parts);
  }

  private static String expression(JsonObject e) {
    String key = text(e.getValue("key"));
    List<String> values = new ArrayList<>();
    if (e.getValue("values") instanceof JsonArray a) {
      a.forEach(v -> values.add(text(v)));
    }
    String operator = text(e.getValue("operator"));
    return switch (operator) {
      case "In" -> key + " in (" + String.join(",", values) + ")";
      case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
      case "Exists" -> key;
      case "DoesNotExist" -> "!" + key;
      default -> key + " " + operator + " (" + String.join(",", values) + ")";
    };
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  private static JsonObject objectOrNull(Object value) {
    if (value instanceof JsonObject o) {
      return o;
    }
    if (value instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) m;
      return new JsonObject(map);
    }
    return null;
  }
}
