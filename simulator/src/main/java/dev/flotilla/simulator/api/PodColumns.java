package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The Pod columns: READY STATUS RESTARTS AGE, and IP NODE ... with -o wide. */
final class PodColumns {

  private PodColumns() {}

  static void add(List<PrinterColumns.Column> c) {
    c.add(PrinterColumns.str("Ready", PodColumns::ready));
    c.add(PrinterColumns.str("Status", PodColumns::status));
    c.add(PrinterColumns.integer("Restarts", PodColumns::restarts));
    PrinterColumns.age(c);
    c.add(PrinterColumns.wide("IP", o -> o.path("status").path("podIP").asText("<none>")));
    c.add(PrinterColumns.wide("Node", o -> o.path("spec").path("nodeName").asText("<none>")));
    c.add(
        PrinterColumns.wide(
            "Nominated Node", o -> o.path("status").path("nominatedNodeName").asText("<none>")));
    c.add(
        PrinterColumns.wide(
            "Readiness Gates",
            o ->
                o.path("spec").path("readinessGates").isEmpty()
                    ? "<none>"
                    : o.path("spec").path("readinessGates").size() + ""));
  }

  private static String ready(ObjectNode o) {
    int ready = 0;
    for (JsonNode s : o.path("status").path("containerStatuses")) {
      if (s.path("ready").asBoolean(false)) {
        ready++;
      }
    }
    return ready + "/" + o.path("spec").path("containers").size();
  }

  /** What kubectl prints: Terminating, a container's waiting/terminated reason, or the phase. */
  static String status(ObjectNode o) {
    if (o.path("metadata").has("deletionTimestamp")) {
      return "Terminating";
    }
    String reason = o.path("status").path("reason").asText("");
    for (JsonNode s : o.path("status").path("containerStatuses")) {
      JsonNode state = s.path("state");
      if (state.path("waiting").has("reason")) {
        reason = state.path("waiting").path("reason").asText();
      } else if (state.path("terminated").has("reason")) {
        reason = state.path("terminated").path("reason").asText();
      }
    }
    return reason.isEmpty() ? o.path("status").path("phase").asText("Pending") : reason;
  }

  private static int restarts(ObjectNode o) {
    int n = 0;
    for (JsonNode s : o.path("status").path("containerStatuses")) {
      n += s.path("restartCount").asInt(0);
    }
    return n;
  }
}
