package dev.flotilla.agent.reconcile.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client-side three-way merge: from the desired object, the last-applied one and the live one,
 * the JSON Patch operations that make live carry every desired field and drop the fields we set
 * before but no longer desire — leaving fields set by anyone else (the server's defaults, other
 * controllers) alone. An empty result means live already equals desired on the fields we set.
 *
 * <p>Lists are merged element by element when desired and live have the same length (so that
 * server-defaulted fields inside containers are not drift) and replaced whole otherwise.
 */
public final class ThreeWayMerge {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern QUANTITY =
      Pattern.compile("([+-]?[0-9]+(?:\\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?");
  private static final Map<String, BigDecimal> SUFFIX =
      Map.ofEntries(
          Map.entry("m", new BigDecimal("0.001")),
          Map.entry("k", BigDecimal.TEN.pow(3)),
          Map.entry("M", BigDecimal.TEN.pow(6)),
          Map.entry("G", BigDecimal.TEN.pow(9)),
          Map.entry("T", BigDecimal.TEN.pow(12)),
          Map.entry("P", BigDecimal.TEN.pow(15)),
          Map.entry("E", BigDecimal.TEN.pow(18)),
          Map.entry("Ki", BigDecimal.valueOf(2).pow(10)),
          Map.entry("Mi", BigDecimal.valueOf(2).pow(20)),
          Map.entry("Gi", BigDecimal.valueOf(2).pow(30)),
          Map.entry("Ti", BigDecimal.valueOf(2).pow(40)),
          Map.entry("Pi", BigDecimal.valueOf(2).pow(50)),
          Map.entry("Ei", BigDecimal.valueOf(2).pow(60)));

  private ThreeWayMerge() {}

  /** One JSON Patch operation, kept typed until it is sent. */
  public record Operation(String op, String path, JsonNode value) {
    public ObjectNode toJson() {
      ObjectNode n = NODES.objectNode().put("op", op).put("path", path);
      if (value != null) {
        n.set("value", value);
      }
      return n;
    }
  }

  /**
   * The operations that turn {@code live} into the merge of {@code desired} over it.
   *
   * @param lastApplied the previous desired state, or null when unknown (nothing is removed then)
   */
  public static List<Operation> operations(JsonNode desired, JsonNode lastApplied, JsonNode live) {
    List<Operation> ops = new ArrayList<>();
    merge("", desired, lastApplied, live, ops);
    return ops;
  }

  /** The operations as a JSON Patch document. */
  public static ArrayNode toPatch(List<Operation> ops) {
    ArrayNode patch = NODES.arrayNode();
    ops.forEach(o -> patch.add(o.toJson()));
    return patch;
  }

  /** Drops operations on (or under) any of the JSON pointers. */
  public static List<Operation> without(List<Operation> ops, List<String> pointers) {
    if (pointers.isEmpty()) {
      return ops;
    }
    List<Operation> kept = new ArrayList<>();
    for (Operation op : ops) {
      boolean ignored = false;
      for (String p : pointers) {
        if (op.path().equals(p) || op.path().startsWith(p.endsWith("/") ? p : p + "/")) {
          ignored = true;
          break;
        }
      }
      if (!ignored) {
        kept.add(op);
      }
    }
    return kept;
  }

  private static void merge(String path, JsonNode d, JsonNode l, JsonNode v, List<Operation> ops) {
    if (d.isObject() && v.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = d.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        String p = path + "/" + escape(f.getKey());
        JsonNode dk = f.getValue();
        JsonNode vk = v.get(f.getKey());
        JsonNode lk = l != null && l.isObject() ? l.get(f.getKey()) : null;
        if (dk.isNull()) {
          // An explicit null in a manifest means "not set"; it removes only what we set before.
          if (vk != null && lk != null && !lk.isNull()) {
            ops.add(new Operation("remove", p, null));
          }
          continue;
        }
        if (vk == null || vk.isNull()) {
          if (!isEmpty(dk)) {
            ops.add(new Operation("add", p, dk));
          }
          continue;
        }
        merge(p, dk, lk, vk, ops);
      }
      if (l != null && l.isObject()) {
        Iterator<String> previous = l.fieldNames();
        while (previous.hasNext()) {
          String k = previous.next();
          if (!d.has(k) && v.has(k)) {
            ops.add(new Operation("remove", path + "/" + escape(k), null));
          }
        }
      }
      return;
    }
    if (d.isArray() && v.isArray()) {
      if (d.size() == v.size()) {
        boolean sameShapeBase = l != null && l.isArray() && l.size() == d.size();
        for (int i = 0; i < d.size(); i++) {
          JsonNode di = d.get(i);
          JsonNode vi = v.get(i);
          if (di.isNull() && vi.isNull()) {
            continue;
          }
          if (di.isObject() != vi.isObject() || di.isArray() != vi.isArray()) {
            ops.add(new Operation("replace", path + "/" + i, di));
          } else {
            merge(path + "/" + i, di, sameShapeBase ? l.get(i) : null, vi, ops);
          }
        }
      } else {
        ops.add(new Operation("replace", path, d));
      }
      return;
    }
    if (d.isContainerNode() && isEmpty(d) && v.isContainerNode() && isEmpty(v)) {
      return;
    }
    if (!sameValue(d, v, path)) {
      ops.add(new Operation("replace", path, d));
    }
  }

  private static boolean isEmpty(JsonNode n) {
    return n == null || n.isNull() || (n.isContainerNode() && n.isEmpty());
  }

  /**
   * Scalar equality as the API server sees it: numbers by value, and numbers or quantities written
   * differently ({@code cpu: 1} is returned as {@code "1"}, {@code 0.5} as {@code "500m"}) as
   * equal.
   */
  static boolean sameValue(JsonNode d, JsonNode v, String path) {
    if (d.equals(v)) {
      return true;
    }
    if (d.isNumber() && v.isNumber()) {
      return d.decimalValue().compareTo(v.decimalValue()) == 0;
    }
    if (d.isValueNode() && v.isValueNode() && !d.isContainerNode()) {
      if (d.asText().equals(v.asText()) && (d.isNumber() || v.isNumber())) {
        return true;
      }
      BigDecimal dq = quantity(d.asText());
      BigDecimal vq = quantity(v.asText());
      return dq != null && vq != null && dq.compareTo(vq) == 0 && looksLikeQuantityPath(path);
    }
    return false;
  }

  private static boolean looksLikeQuantityPath(String path) {
    return path.contains("/resources/")
        || path.contains("/hard/")
        || path.contains("/capacity/")
        || path.contains("/storage");
  }

  static BigDecimal quantity(String text) {
    Matcher m = QUANTITY.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    BigDecimal n = new BigDecimal(m.group(1));
    return m.group(2) == null ? n : n.multiply(SUFFIX.get(m.group(2)));
  }

  /** Escapes one JSON Pointer token (RFC 6901). */
  public static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
