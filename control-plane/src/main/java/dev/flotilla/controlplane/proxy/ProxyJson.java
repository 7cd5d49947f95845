package dev.flotilla.controlplane.proxy;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.proto.agent.v1.LogLine;
import dev.flotilla.proto.agent.v1.ObjectDiff;
import dev.flotilla.proto.agent.v1.ObjectEvent;
import dev.flotilla.proto.agent.v1.ObjectRef;
import dev.flotilla.proto.agent.v1.ProxiedObject;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** The agent's answers as the REST API's JSON (field names as the rest of the API: camelCase). */
final class ProxyJson {

  private ProxyJson() {}

  static JsonObject ref(ObjectRef ref, String version) {
    return new JsonObject()
        .put("group", ref.getGroup())
        .put("version", version)
        .put("kind", ref.getKind())
        .put("namespace", ref.getNamespace())
        .put("name", ref.getName());
  }

  static JsonObject object(ProxiedObject o) {
    JsonObject manifest;
    try {
      manifest = new JsonObject(o.getJson());
    } catch (DecodeException e) {
      throw new ApiException(
          ApiException.Kind.UNAVAILABLE, "the agent sent an object that is not JSON");
    }
    return ref(o.getRef(), o.getVersion()).put("manifest", manifest);
  }

  static JsonObject manifests(String name, String source, ResourceResponse r) {
    JsonArray items = new JsonArray();
    r.getObjectsList().forEach(o -> items.add(object(o)));
    JsonObject out = new JsonObject().put("name", name).put("source", source).put("items", items);
    if (!r.getRevision().isEmpty()) {
      out.put("revision", r.getRevision());
    }
    return out;
  }

  static JsonObject diff(String name, ResourceResponse r) {
    JsonArray items = new JsonArray();
    boolean modified = false;
    for (ObjectDiff d : r.getDiffsList()) {
      modified |= d.getModified();
      items.add(
          ref(d.getRef(), d.getVersion())
              .put("modified", d.getModified())
              .put("desired", d.getDesiredYaml())
              .put("live", d.getLiveYaml())
              .put("diff", d.getUnifiedDiff()));
    }
    return new JsonObject()
        .put("name", name)
        .put("revision", r.getRevision())
        .put("modified", modified)
        .put("items", items);
  }

  static JsonObject events(String name, ResourceResponse r) {
    JsonArray items = new JsonArray();
    for (ObjectEvent e : r.getEventsList()) {
      items.add(
          new JsonObject()
              .put("type", e.getType())
              .put("reason", e.getReason())
              .put("message", e.getMessage())
              .put("count", e.getCount())
              .put("firstSeen", time(e.getFirstSeenUnixMs()))
              .put("lastSeen", time(e.getLastSeenUnixMs()))
              .put("source", e.getSource()));
    }
    return new JsonObject().put("name", name).put("items", items);
  }

  static JsonObject line(LogLine l) {
    return new JsonObject()
        .put("pod", l.getPod())
        .put("container", l.getContainer())
        .put("text", l.getText());
  }

  static JsonObject logs(String name, ResourceResponse r) {
    JsonArray items = new JsonArray();
    r.getLogLinesList().forEach(l -> items.add(line(l)));
    return new JsonObject().put("name", name).put("items", items);
  }

  private static String time(long millis) {
    return millis == 0 ? null : Instant.ofEpochMilli(millis).toString();
  }
}
