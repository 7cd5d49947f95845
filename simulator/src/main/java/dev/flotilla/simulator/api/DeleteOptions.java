package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectRules;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.simulator.store.StoreException;
import java.util.List;

/**
 * The options of a DELETE, from the body (a DeleteOptions object, as kubectl sends it) or the
 * query. propagationPolicy and gracePeriodSeconds are checked and accepted; the deletion itself is
 * immediate (garbage collection of dependents is the controller manager's).
 */
record DeleteOptions(String propagationPolicy, long gracePeriodSeconds, JsonNode preconditions) {

  private static final List<String> POLICIES = List.of("Orphan", "Background", "Foreground");

  static DeleteOptions of(Call call) {
    JsonNode body = Bodies.optional(call);
    String policy = call.req().getParam("propagationPolicy");
    String grace = call.req().getParam("gracePeriodSeconds");
    JsonNode preconditions = null;
    if (body != null) {
      if (body.has("propagationPolicy")) {
        policy = body.get("propagationPolicy").asText();
      }
      if (body.has("gracePeriodSeconds")) {
        grace = body.get("gracePeriodSeconds").asText();
      }
      preconditions = body.get("preconditions");
      if (body.has("orphanDependents") && body.get("orphanDependents").asBoolean()) {
        policy = policy == null ? "Orphan" : policy;
      }
    }
    if (policy != null && !policy.isEmpty() && !POLICIES.contains(policy)) {
      throw ApiException.invalid(
          "propagationPolicy: Unsupported value: \""
              + policy
              + "\": supported values: "
              + POLICIES);
    }
    long seconds = 0;
    if (grace != null && !grace.isEmpty()) {
      try {
        seconds = Long.parseLong(grace);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("gracePeriodSeconds must be an integer: " + grace);
      }
    }
    return new DeleteOptions(policy, seconds, preconditions);
  }

  /** The uid / resourceVersion preconditions a client may set (409 Conflict when they fail). */
  void checkPreconditions(ObjectNode current, ResourceType type) {
    if (preconditions == null) {
      return;
    }
    String name = ObjectRules.name(current);
    JsonNode meta = current.path("metadata");
    for (String field : List.of("uid", "resourceVersion")) {
      JsonNode want = preconditions.get(field);
      if (want != null && !want.isNull() && !want.asText().equals(meta.path(field).asText())) {
        throw new StoreException.Conflict(
            "Precondition failed: "
                + field
                + " in precondition: "
                + want.asText()
                + ", "
                + field
                + " in object meta: "
                + meta.path(field).asText()
                + " ("
                + type.groupResource()
                + " \""
                + name
                + "\")");
      }
    }
  }
}
