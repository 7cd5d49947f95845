package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Answers {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io} with a meta.k8s.io/v1 Table,
 * which is what {@code kubectl get} prints: the server chooses the columns, kubectl shows those of
 * priority 0 (and the rest with {@code -o wide}).
 */
final class TableConverter {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final Clock clock;

  TableConverter(Clock clock) {
    this.clock = clock;
  }

  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /**
   * @param includeObject None, Metadata (the default: PartialObjectMetadata) or Object
   */
  ObjectNode table(
      ResourceType type,
      List<ObjectNode> objects,
      String includeObject,
      String resourceVersion,
      String continueToken) {
    List<PrinterColumns.Column> columns = PrinterColumns.of(type);
    ObjectNode t = F.objectNode();
    t.put("kind", "Table");
    t.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = t.putObject("metadata");
    meta.put("resourceVersion", resourceVersion);
    if (continueToken != null) {
      meta.put("continue", continueToken);
    }
    ArrayNode defs = t.putArray("columnDefinitions");
    for (PrinterColumns.Column c : columns) {
      ObjectNode d = defs.addObject();
      d.put("name", c.name());
      d.put("type", c.type());
      d.put("format", c.name().equals("Name") ? "name" : "");
      d.put("description", c.name());
      d.put("priority", c.priority());
    }
    ArrayNode rows = t.putArray("rows");
    Instant now = Instant.now(clock);
    for (ObjectNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (PrinterColumns.Column c : columns) {
        Object v = c.cell().value(o, now);
        if (v instanceof Integer i) {
          cells.add(i);
        } else {
          cells.add(String.valueOf(v));
        }
      }
      String include = includeObject == null ? "Metadata" : includeObject;
      switch (include) {
        case "None" -> {}
        case "Object" -> row.set("object", o);
        default -> {
          ObjectNode partial = row.putObject("object");
          partial.put("kind", "PartialObjectMetadata");
          partial.put("apiVersion", "meta.k8s.io/v1");
          partial.set("metadata", o.path("metadata"));
        }
      }
    }
    return t;
  }
}
