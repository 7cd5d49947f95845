package dev.flotilla.controlplane.query;

import dev.flotilla.controlplane.ApiException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kubernetes' equality-based label selector, as {@code kubectl -l} takes it: {@code key=value},
 * {@code key==value}, {@code key!=value}, {@code key} (present) and {@code !key} (absent), joined
 * by commas; all must hold.
 */
public final class LabelSelector {

  private static final Pattern KEY =
      Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  /** How a requirement tests its key. */
  public enum Op {
    EQUALS,
    NOT_EQUALS,
    EXISTS,
    ABSENT
  }

  /** One comma-separated part of a selector; {@code value} is empty for EXISTS and ABSENT. */
  public record Requirement(String key, Op op, String value) {
    boolean matches(Map<String, String> labels) {
      String actual = labels.get(key);
      return switch (op) {
        case EQUALS -> value.equals(actual);
        case NOT_EQUALS -> !value.equals(actual);
        case EXISTS -> actual != null;
        case ABSENT -> actual == null;
      };
    }
  }

  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

  private final List<Requirement> requirements;

  private LabelSelector(List<Requirement> requirements) {
    this.requirements = List.copyOf(requirements);
  }

  /**
   * @param field how errors name the parameter
   * @throws ApiException INVALID naming the field and the bad requirement
   */
  public static LabelSelector parse(String text, String field) {
    if (text == null || text.isBlank()) {
      return EVERYTHING;
    }
    List<Requirement> list = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String part = raw.strip();
      Requirement r;
      int ne = part.indexOf("!=");
      int eq = part.indexOf('=');
      if (ne > 0) {
        r = new Requirement(part.substring(0, ne).strip(), Op.NOT_EQUALS, rest(part, ne + 2));
      } else if (eq > 0) {
        int from = part.startsWith("==", eq) ? eq + 2 : eq + 1;
        r = new Requirement(part.substring(0, eq).strip(), Op.EQUALS, rest(part, from));
      } else if (part.startsWith("!")) {
        r = new Requirement(part.substring(1).strip(), Op.ABSENT, "");
      } else {
        r = new Requirement(part, Op.EXISTS, "");
      }
      if (!KEY.matcher(r.key()).matches() || !VALUE.matcher(r.value()).matches()) {
        throw ApiException.invalid(
            field
                + ": '"
                + part
                + "' is not a label requirement (use key=value, key!=value, key or !key)");
      }
      list.add(r);
    }
    return new LabelSelector(list);
  }

  private static String rest(String part, int from) {
    return part.substring(from).strip();
  }

  /** {@code metadata.labels} of a Kubernetes-style document, empty when it has none. */
  public static Map<String, String> labelsOf(JsonObject document) {
    Object metadata = document.getValue("metadata");
    Object labels = metadata instanceof JsonObject m ? m.getValue("labels") : null;
    Map<String, String> map = new TreeMap<>();
    if (labels instanceof JsonObject l) {
      l.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return map;
  }

  /** The requirements, all of which must hold (so that a store can test them itself). */
  public List<Requirement> requirements() {
    return requirements;
  }

  public boolean matches(Map<String, String> labels) {
    for (Requirement r : requirements) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
