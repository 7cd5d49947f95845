package dev.flotilla.agent.reconcile.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ThreeWayMerge;
import dev.flotilla.agent.reconcile.apply.Tracking;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the operations that would make a live object equal its desired state into the field
 * differences a drift event carries. Kept apart from the watcher: it is pure, and it is where the
 * rule that Secret values never leave the cluster lives.
 */
final class DriftFields {

  private static final String MASK = "\"++++++++\"";

  private DriftFields() {}

  /** What differs, field by field, as the drift report shows it (Secret values masked). */
  static List<FieldDiff> of(ObjectKey key, List<ThreeWayMerge.Operation> ops, JsonNode live) {
    List<FieldDiff> out = new ArrayList<>();
    for (ThreeWayMerge.Operation op : ops) {
      JsonNode liveValue = live.at(op.path());
      String liveText = liveValue.isMissingNode() ? null : mask(key, op.path(), liveValue);
      String desiredText = "remove".equals(op.op()) ? null : mask(key, op.path(), op.value());
      out.add(new FieldDiff(op.path(), desiredText, liveText));
    }
    return out;
  }

  /**
   * Secret values never leave the cluster: anything under data/stringData is masked, as Argo does.
   */
  static String mask(ObjectKey key, String path, JsonNode value) {
    boolean secret = key.group().isEmpty() && key.kind().equals("Secret");
    if (!secret) {
      return value.toString();
    }
    if (path.isEmpty()) {
      ObjectNode copy = ((ObjectNode) value).deepCopy();
      for (String field : List.of("data", "stringData")) {
        if (copy.get(field) instanceof ObjectNode values) {
          List<String> keys = new ArrayList<>();
          values.fieldNames().forEachRemaining(keys::add);
          keys.forEach(k -> values.put(k, "++++++++"));
        }
      }
      if (copy.path("metadata").path("annotations") instanceof ObjectNode a) {
        a.remove(Tracking.LAST_APPLIED);
      }
      return copy.toString();
    }
    if (path.startsWith("/data") || path.startsWith("/stringData")) {
      return MASK;
    }
    return value.toString();
  }
}
