package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metadata.managedFields}: who owns which fields. Server-side apply writes an {@code Apply}
 * entry per manager; every other write (a patch, a create, an update) gives the fields it changed
 * to the writer's {@code Update} entry and takes them from everybody else, as the real field
 * manager does, so that a later apply conflicts with what {@code kubectl edit} or {@code kubectl
 * scale} changed.
 */
final class ManagedFields {

  static final String APPLY = "Apply";
  static final String UPDATE = "Update";

  /** One entry; fields is this class's working copy. */
  record Entry(
      String manager,
      String operation,
      String apiVersion,
      String time,
      String subresource,
      FieldSet fields) {

    boolean is(String manager, String operation) {
      return this.manager.equals(manager)
          && this.operation.equals(operation)
          && subresource.isEmpty();
    }

    /** As the API server names a manager in a conflict. */
    String printed() {
      String name = "\"" + manager + "\"";
      if (!subresource.isEmpty()) {
        name += " with subresource \"" + subresource + "\"";
      }
      return operation.equals(UPDATE) ? name + " using " + apiVersion : name;
    }
  }

  private final Clock clock;

  ManagedFields(Clock clock) {
    this.clock = clock;
  }

  static List<Entry> read(JsonNode object) {
    List<Entry> entries = new ArrayList<>();
    JsonNode list = object.path("metadata").path("managedFields");
    for (JsonNode e : list) {
      entries.add(
          new Entry(
              e.path("manager").asText(""),
              e.path("operation").asText(UPDATE),
              e.path("apiVersion").asText(""),
              e.path("time").asText(null),
              e.path("subresource").asText(""),
              FieldSet.fromFieldsV1(e.get("fieldsV1"))));
    }
    return entries;
  }

  static void write(ObjectNode object, List<Entry> entries) {
    ObjectNode metadata =
        object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
    ArrayNode list = PatchBodies.JSON.createArrayNode();
    for (Entry e : entries) {
      if (e.fields().isEmpty()) {
        continue;
      }
      ObjectNode out = list.addObject();
      out.put("manager", e.manager());
      out.put("operation", e.operation());
      out.put("apiVersion", e.apiVersion());
      if (e.time() != null) {
        out.put("time", e.time());
      }
      out.put("fieldsType", "FieldsV1");
      out.set("fieldsV1", e.fields().toFieldsV1());
      if (!e.subresource().isEmpty()) {
        out.put("subresource", e.subresource());
      }
    }
    if (list.isEmpty()) {
      metadata.remove("managedFields");
    } else {
      metadata.set("managedFields", list);
    }
  }

  String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Gives the fields that differ between old (null on create) and updated to the manager's Update
   * entry, takes them from the others and forgets removed fields. Returns updated with its
   * managedFields rewritten (updated itself is changed).
   */
  ObjectNode recordUpdate(
      PatchStrategies strategies,
      ResourceType type,
      ObjectNode old,
      ObjectNode updated,
      String manager) {
    JsonNode before = old == null ? null : old.path("metadata").get("managedFields");
    JsonNode after = updated.path("metadata").get("managedFields");
    if (after != null && !JsonValues.same(before, after)) {
      // the writer set managedFields itself: [{}] resets them, anything else is kept as sent
      boolean reset = after.isArray() && after.size() == 1 && after.get(0).isEmpty();
      if (reset) {
        ((ObjectNode) updated.get("metadata")).remove("managedFields");
        return updated;
      }
      if (!(after.isArray() && after.isEmpty())) {
        return updated;
      }
    }
    List<Entry> entries = old == null ? new ArrayList<>() : read(old);
    if (manager != null && !manager.isBlank()) {
      FieldSet oldFields = old == null ? FieldSet.empty() : FieldSet.of(strategies, type, old);
      FieldSet newFields = FieldSet.of(strategies, type, updated);
      List<FieldPath> removed = oldFields.minus(newFields);
      FieldSet changed = FieldSet.empty();
      for (FieldPath path : newFields.paths()) {
        boolean differs =
            !oldFields.contains(path)
                || path.isLeafValue() && !JsonValues.same(path.resolve(old), path.resolve(updated));
        if (differs) {
          changed.add(path);
        }
      }
      entries = give(entries, changed, removed, manager, type);
    }
    write(updated, entries);
    return updated;
  }

  private List<Entry> give(
      List<Entry> entries,
      FieldSet changed,
      List<FieldPath> removed,
      String manager,
      ResourceType type) {
    List<Entry> result = new ArrayList<>();
    Entry own = null;
    for (Entry e : entries) {
      e.fields().removeAll(removed);
      if (e.is(manager, UPDATE)) {
        own = e;
      } else {
        e.fields().removeAll(changed.paths());
      }
      result.add(e);
    }
    if (changed.isEmpty()) {
      return result;
    }
    FieldSet fields = own == null ? FieldSet.empty() : own.fields();
    fields.addAll(changed);
    Entry updated = new Entry(manager, UPDATE, type.apiVersion(), now(), "", fields);
    if (own == null) {
      result.add(updated);
    } else {
      result.set(result.indexOf(own), updated);
    }
    return result;
  }
}
