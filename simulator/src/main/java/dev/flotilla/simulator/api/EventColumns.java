package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** The Event columns: LAST SEEN TYPE REASON OBJECT MESSAGE (more with -o wide). */
final class EventColumns {

  private EventColumns() {}

  static void add(List<PrinterColumns.Column> c) {
    // kubectl shows LAST SEEN first; the name moves to the wide columns
    c.clear();
    c.add(new PrinterColumns.Column("Last Seen", "string", 0, EventColumns::lastSeen));
    c.add(PrinterColumns.str("Type", o -> o.path("type").asText("Normal")));
    c.add(PrinterColumns.str("Reason", o -> o.path("reason").asText("")));
    c.add(PrinterColumns.str("Object", EventColumns::object));
    c.add(
        PrinterColumns.str("Message", o -> o.path(o.has("note") ? "note" : "message").asText("")));
    c.add(PrinterColumns.wide("Subobject", o -> regarding(o).path("fieldPath").asText("")));
    c.add(
        PrinterColumns.wide(
            "Source",
            o ->
                o.path("source")
                    .path("component")
                    .asText(o.path("reportingController").asText(""))));
    c.add(
        new PrinterColumns.Column(
            "First Seen", "string", 1, (o, now) -> PrinterColumns.age(first(o), now)));
    c.add(PrinterColumns.wide("Count", o -> o.path("count").asInt(1) + ""));
    c.add(PrinterColumns.wide("Name", o -> o.path("metadata").path("name").asText()));
  }

  private static JsonNode regarding(ObjectNode o) {
    return o.has("regarding") ? o.path("regarding") : o.path("involvedObject");
  }

  private static String object(ObjectNode o) {
    JsonNode r = regarding(o);
    return r.path("kind").asText("").toLowerCase(java.util.Locale.ROOT)
        + "/"
        + r.path("name").asText("");
  }

  private static String lastSeen(ObjectNode o, Instant now) {
    for (String f : List.of("lastTimestamp", "eventTime", "deprecatedLastTimestamp")) {
      if (o.path(f).isTextual() && !o.path(f).asText().isEmpty()) {
        return PrinterColumns.age(o.path(f), now);
      }
    }
    return PrinterColumns.age(o.path("metadata").path("creationTimestamp"), now);
  }

  private static JsonNode first(ObjectNode o) {
    JsonNode f = o.path("firstTimestamp");
    return f.isTextual() ? f : o.path("metadata").path("creationTimestamp");
  }
}
