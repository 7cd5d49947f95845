package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectRules;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.BiFunction;

/**
 * The scale subresource (an autoscaling/v1 Scale mapped onto spec.replicas) and Pod logs (lines
 * from the {@link PodLogSource}, streamed while following).
 */
final class Subresources {

  /** What a PATCH of a Scale is applied to (the patch engine needs a type). */
  static final ResourceType SCALE =
      new ResourceType("autoscaling", "v1", "Scale", "scale", "scale", List.of(), true, List.of());

  private final ObjectStore store;
  private final ApiServerOptions options;
  private final BiFunction<Call, ObjectNode, ObjectNode> writer;

  /** writer stores an updated object (or validates it, in a dry run). */
  Subresources(
      ObjectStore store,
      ApiServerOptions options,
      BiFunction<Call, ObjectNode, ObjectNode> writer) {
    this.store = store;
    this.options = options;
    this.writer = writer;
  }

  void handle(Call call) {
    switch (call.target().subresource()) {
      case "scale" -> scale(call);
      case "log" -> log(call);
      default ->
          throw ApiException.notFound(
              "the subresource " + call.target().subresource() + " is not simulated");
    }
  }

  private void scale(Call call) {
    HttpMethod m = call.req().method();
    ObjectNode current = current(call);
    if (m.equals(HttpMethod.GET)) {
      ResourceHandler.reply(call, 200, scaleOf(current));
      return;
    }
    ObjectNode wanted;
    if (m.equals(HttpMethod.PUT)) {
      wanted = Bodies.object(call);
    } else if (m.equals(HttpMethod.PATCH)) {
      wanted =
          options
              .patchEngine()
              .apply(
                  Bodies.mediaType(call.req()),
                  SCALE,
                  scaleOf(current),
                  call.body(),
                  StandardPatchEngine.fieldManager(
                      call.req().getParam("fieldManager"),
                      Bodies.mediaType(call.req()),
                      call.req().getHeader("User-Agent")),
                  "true".equals(call.req().getParam("force")));
    } else {
      throw ResourceHandler.notAllowed(m, call.type().groupResource() + "/scale");
    }
    JsonNode replicas = wanted.path("spec").path("replicas");
    if (!replicas.canConvertToInt() || replicas.asInt() < 0) {
      throw ApiException.invalid(
          "Scale.autoscaling \""
              + call.target().name()
              + "\" is invalid: spec.replicas: Invalid value: "
              + replicas
              + ": must be greater than or equal to 0");
    }
    ObjectNode updated = current.deepCopy();
    updated.with("spec").put("replicas", replicas.asInt());
    String rv = wanted.path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty()) {
      ObjectRules.metadata(updated).put("resourceVersion", rv);
    }
    Call onObject =
        new Call(
            call.req(),
            new RequestTarget(
                call.target().group(),
                call.target().version(),
                call.target().namespace(),
                call.target().resource(),
                call.target().name(),
                null),
            call.type(),
            call.body());
    ResourceHandler.reply(call, 200, scaleOf(writer.apply(onObject, updated)));
  }

  static ObjectNode scaleOf(ObjectNode o) {
    ObjectNode s = JsonNodeFactory.instance.objectNode();
    s.put("kind", "Scale");
    s.put("apiVersion", "autoscaling/v1");
    ObjectNode meta = s.putObject("metadata");
    for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
      if (o.path("metadata").has(f)) {
        meta.set(f, o.path("metadata").get(f));
      }
    }
    s.putObject("spec").put("replicas", o.path("spec").path("replicas").asInt(1));
    ObjectNode status = s.putObject("status");
    status.put("replicas", o.path("status").path("replicas").asInt(0));
    JsonNode selector = o.path("spec").path("selector");
    JsonNode labels = selector.has("matchLabels") ? selector.get("matchLabels") : selector;
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) labels::fields) {
      if (e.getValue().isValueNode()) {
        pairs.add(e.getKey() + "=" + e.getValue().asText());
      }
    }
    status.put("selector", String.join(",", pairs));
    return s;
  }

  private void log(Call call) {
    if (!call.req().method().equals(HttpMethod.GET)) {
      throw ResourceHandler.notAllowed(call.req().method(), "pods/log");
    }
    ObjectNode pod = current(call);
    List<String> containers = new ArrayList<>();
    pod.path("spec").path("containers").forEach(c -> containers.add(c.path("name").asText()));
    pod.path("spec").path("initContainers").forEach(c -> containers.add(c.path("name").asText()));
    String container = call.req().getParam("container");
    String name = call.target().name();
    if (container == null || container.isEmpty()) {
      String preferred =
          pod.path("metadata")
              .path("annotations")
              .path("kubectl.kubernetes.io/default-container")
              .asText("");
      if (!preferred.isEmpty()) {
        container = preferred;
      } else if (pod.path("spec").path("containers").size() == 1) {
        container = containers.get(0);
      } else {
        throw ApiException.badRequest(
            "a container name must be specified for pod "
                + name
                + ", choose one of: "
                + containers);
      }
    }
    if (!containers.contains(container)) {
      throw ApiException.badRequest("container " + container + " is not valid for pod " + name);
    }
    int tail = ResourceHandler.intParam(call.req(), "tailLines", -1);
    boolean follow = "true".equals(call.req().getParam("follow"));
    HttpServerResponse response = call.req().response();
    response.setChunked(true).putHeader("Content-Type", "text/plain");
    if (follow) {
      response.writeHead();
    }
    Context context = Vertx.currentContext();
    AutoCloseable handle =
        options
            .podLogs()
            .open(
                pod,
                container,
                tail >= 0 ? OptionalInt.of(tail) : OptionalInt.empty(),
                follow,
                line ->
                    context.runOnContext(
                        v -> {
                          if (!response.ended() && !response.closed()) {
                            response.write(line + "\n");
                          }
                        }),
                () ->
                    context.runOnContext(
                        v -> {
                          if (!response.ended() && !response.closed()) {
                            response.end();
                          }
                        }));
    response.closeHandler(v -> closeQuietly(handle));
    response.endHandler(v -> closeQuietly(handle));
  }

  private ObjectNode current(Call call) {
    return store
        .get(call.type(), call.target().namespace(), call.target().name())
        .orElseThrow(() -> ObjectRules.notFound(call.type(), call.target().name()));
  }

  private static void closeQuietly(AutoCloseable handle) {
    try {
      handle.close();
    } catch (Exception e) {
      // the client is gone; nothing to tell it
    }
  }
}
