package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.BuiltinTypes;
import dev.flotilla.simulator.store.LabelSelector;
import dev.flotilla.simulator.store.ObjectRules;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.simulator.store.StoreException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The verbs on a resource path: get, list, watch, create, update, patch, delete, deletecollection,
 * and the status, scale and log subresources (in {@link Subresources}). Runs on the event loop: the
 * store is in memory, so every call is short.
 */
final class ResourceHandler {

  private static final int PATCH_ATTEMPTS = 5;

  private final ObjectStore store;
  private final ApiServerOptions options;
  private final TableConverter tables;
  private final Subresources subresources;
  private final WatchStream watches;
  private final Defaults defaults = new Defaults();

  ResourceHandler(ObjectStore store, ApiServerOptions options, WatchStream watches) {
    this.store = store;
    this.options = options;
    this.tables = new TableConverter(options.clock());
    this.subresources = new Subresources(store, options, this::write);
    this.watches = watches;
  }

  void handle(HttpServerRequest req, RequestTarget target, byte[] body) {
    ResourceType type = resolve(target);
    Call call = new Call(req, target, type, body);
    String sub = target.subresource();
    if (sub != null && !type.subresources().contains(sub)) {
      throw ApiException.notFound(
          "the subresource \"" + sub + "\" of " + type.groupResource() + " is not simulated");
    }
    HttpMethod m = req.method();
    if (target.name() == null) {
      if (m.equals(HttpMethod.GET)) {
        list(call);
      } else if (m.equals(HttpMethod.POST)) {
        create(call);
      } else if (m.equals(HttpMethod.DELETE)) {
        deleteCollection(call);
      } else {
        throw notAllowed(m, type.groupResource());
      }
      return;
    }
    if (sub != null && !sub.equals("status")) {
      subresources.handle(call);
      return;
    }
    if (m.equals(HttpMethod.GET)) {
      ObjectNode o = current(call);
      reply(
          call,
          200,
          TableConverter.wanted(req.getHeader("Accept")) && sub == null
              ? tables.table(type, List.of(o), req.getParam("includeObject"), rv(o), null)
              : o);
    } else if (m.equals(HttpMethod.PUT)) {
      ObjectNode o = Bodies.object(call);
      checkIdentity(call, o);
      reply(call, 200, write(call, o));
    } else if (m.equals(HttpMethod.PATCH)) {
      patch(call);
    } else if (m.equals(HttpMethod.DELETE) && sub == null) {
      delete(call, target.name());
    } else {
      throw notAllowed(m, type.groupResource() + (sub == null ? "" : "/" + sub));
    }
  }

  private ResourceType resolve(RequestTarget t) {
    ResourceType type =
        store.types().stream()
            .filter(
                x ->
                    x.group().equals(t.group())
                        && x.version().equals(t.version())
                        && x.plural().equals(t.resource()))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "the server could not find the requested resource: "
                            + t.resource()
                            + " in "
                            + t.groupVersion()
                            + " is not served by this SIMULATED cluster"));
    if (!type.namespaced() && t.namespace() != null) {
      throw ApiException.notFound(type.groupResource() + " is not namespaced");
    }
    if (type.namespaced() && t.namespace() == null && t.name() != null) {
      throw ApiException.notFound(type.groupResource() + " needs a namespace in the path");
    }
    return type;
  }

  private void list(Call call) {
    HttpServerRequest req = call.req();
    LabelSelector labels;
    try {
      labels = LabelSelector.parse(req.getParam("labelSelector"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    LabelSelector filter =
        labels.andAlso(FieldSelector.parse(call.type(), req.getParam("fieldSelector")));
    String watch = req.getParam("watch");
    if ("true".equals(watch) || "1".equals(watch)) {
      watches.start(call, filter);
      return;
    }
    String rv = Long.toString(store.resourceVersion());
    List<ObjectNode> items = store.list(call.type(), call.target().namespace(), filter);
    String token = req.getParam("continue");
    if (token != null && !token.isEmpty()) {
      String after = decodeContinue(token);
      items = items.stream().filter(o -> key(o).compareTo(after) > 0).toList();
    }
    int limit = intParam(req, "limit", 0);
    String next = null;
    long remaining = 0;
    if (limit > 0 && items.size() > limit) {
      remaining = items.size() - limit;
      items = items.subList(0, limit);
      next =
          Base64.getUrlEncoder()
              .encodeToString(key(items.get(limit - 1)).getBytes(StandardCharsets.UTF_8));
    }
    if (TableConverter.wanted(req.getHeader("Accept"))) {
      reply(call, 200, tables.table(call.type(), items, req.getParam("includeObject"), rv, next));
      return;
    }
    reply(call, 200, listOf(call.type(), items, rv, next, remaining));
  }

  static ObjectNode listOf(
      ResourceType type, List<ObjectNode> items, String rv, String next, long remaining) {
    ObjectNode list = JsonNodeFactory.instance.objectNode();
    list.put("kind", type.kind() + "List");
    list.put("apiVersion", type.apiVersion());
    ObjectNode meta = list.putObject("metadata");
    meta.put("resourceVersion", rv);
    if (next != null) {
      meta.put("continue", next);
      meta.put("remainingItemCount", remaining);
    }
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    return list;
  }

  private void create(Call call) {
    ObjectNode o = Bodies.object(call);
    String ns = call.target().namespace();
    if (call.type().namespaced()) {
      String bodyNs = ObjectRules.namespace(o);
      if (ns == null) {
        throw ApiException.badRequest(
            "a namespaced object is created under /namespaces/{namespace}/");
      }
      if (!bodyNs.isEmpty() && !bodyNs.equals(ns)) {
        throw ApiException.badRequest(
            "the namespace of the provided object ("
                + bodyNs
                + ") does not match the namespace sent on the request ("
                + ns
                + ")");
      }
      ObjectRules.metadata(o).put("namespace", ns);
    }
    // a real server ignores status on create where status is a subresource
    if (call.type().subresources().contains("status") && !call.type().equals(BuiltinTypes.CRDS)) {
      o.remove("status");
    }
    defaults.apply(call.type(), o, null);
    if (call.dryRun()) {
      reply(call, 201, dryRunCreate(call.type(), o));
      return;
    }
    reply(call, 201, store.create(call.type(), o));
  }

  private ObjectNode dryRunCreate(ResourceType type, ObjectNode o) {
    ObjectNode meta = ObjectRules.metadata(o);
    if (ObjectRules.name(o).isEmpty() && meta.has("generateName")) {
      meta.put("name", meta.get("generateName").asText() + "dryrun");
    }
    ObjectRules.checkForCreate(type, o);
    String ns = ObjectRules.namespace(o);
    if (type.namespaced() && store.get(BuiltinTypes.NAMESPACES, null, ns).isEmpty()) {
      throw ObjectRules.notFound(BuiltinTypes.NAMESPACES, ns);
    }
    if (store.get(type, ns, ObjectRules.name(o)).isPresent()) {
      throw new StoreException.AlreadyExists(
          type.groupResource() + " \"" + ObjectRules.name(o) + "\" already exists");
    }
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", ObjectRules.timestamp(options.clock()));
    meta.put("generation", 1);
    return o;
  }

  /** Stores an update (or the status of one) unless it is a dry run. */
  ObjectNode write(Call call, ObjectNode o) {
    boolean status = "status".equals(call.target().subresource());
    if (!status) {
      defaults.apply(
          call.type(),
          o,
          store.get(call.type(), call.target().namespace(), call.target().name()).orElse(null));
    }
    if (call.dryRun()) {
      ObjectNode stored = current(call);
      String expected = o.path("metadata").path("resourceVersion").asText("");
      if (!expected.isEmpty() && !expected.equals(rv(stored))) {
        throw ObjectRules.conflict(call.type(), call.target().name());
      }
      ObjectRules.checkForUpdate(call.type(), o);
      ObjectNode result = o.deepCopy();
      result.set("metadata", stored.get("metadata").deepCopy());
      ((ObjectNode) result.get("metadata"))
          .setAll(
              ObjectRules.metadata(o)
                  .deepCopy()
                  .retain(List.of("labels", "annotations", "finalizers", "ownerReferences")));
      if (!status) {
        result.set("status", stored.path("status").deepCopy());
      }
      return result;
    }
    return status ? store.updateStatus(call.type(), o) : store.update(call.type(), o);
  }

  /**
   * A PATCH is applied to the object as stored and written with its resourceVersion; when another
   * writer (a controller's status write) got in between, it is applied again to the newer object,
   * as the real API server's guaranteed update does. Only a resourceVersion the patch itself names
   * makes a conflict the client's.
   */
  private void patch(Call call) {
    for (int attempt = 1; ; attempt++) {
      try {
        patchOnce(call);
        return;
      } catch (StoreException.Conflict e) {
        if (attempt >= PATCH_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private void patchOnce(Call call) {
    String contentType = Bodies.mediaType(call.req());
    Optional<ObjectNode> stored =
        store.get(call.type(), call.target().namespace(), call.target().name());
    boolean apply = contentType.equals("application/apply-patch+yaml");
    if (stored.isEmpty() && !apply) {
      throw ObjectRules.notFound(call.type(), call.target().name());
    }
    ObjectNode patched =
        options
            .patchEngine()
            .apply(
                contentType,
                call.type(),
                stored.orElse(null),
                call.body(),
                StandardPatchEngine.fieldManager(
                    call.req().getParam("fieldManager"),
                    contentType,
                    call.req().getHeader("User-Agent")),
                "true".equals(call.req().getParam("force")));
    checkIdentity(call, patched);
    if (stored.isEmpty()) {
      ObjectRules.metadata(patched).remove("resourceVersion");
      defaults.apply(call.type(), patched, null);
      if (call.dryRun()) {
        reply(call, 201, dryRunCreate(call.type(), patched));
      } else {
        reply(call, 201, store.create(call.type(), patched));
      }
      return;
    }
    String storedVersion = ObjectRules.metadata(stored.get()).path("resourceVersion").asText();
    boolean namedByClient =
        !storedVersion.equals(ObjectRules.metadata(patched).path("resourceVersion").asText());
    try {
      reply(call, 200, write(call, patched));
    } catch (StoreException.Conflict e) {
      if (namedByClient) {
        // the client's own precondition failed: its conflict, not to be retried here
        throw new ApiException(e.code(), e.reason(), e.getMessage());
      }
      throw e;
    }
  }

  private void delete(Call call, String name) {
    DeleteOptions opts = DeleteOptions.of(call);
    ObjectNode o = current(call);
    opts.checkPreconditions(o, call.type());
    reply(
        call, 200, call.dryRun() ? o : store.delete(call.type(), call.target().namespace(), name));
  }

  private void deleteCollection(Call call) {
    DeleteOptions.of(call);
    LabelSelector labels;
    try {
      labels = LabelSelector.parse(call.req().getParam("labelSelector"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    LabelSelector filter =
        labels.andAlso(FieldSelector.parse(call.type(), call.req().getParam("fieldSelector")));
    List<ObjectNode> deleted = new ArrayList<>();
    for (ObjectNode o : store.list(call.type(), call.target().namespace(), filter)) {
      if (call.dryRun()) {
        deleted.add(o);
        continue;
      }
      try {
        deleted.add(store.delete(call.type(), ObjectRules.namespace(o), ObjectRules.name(o)));
      } catch (StoreException.NotFound gone) {
        // deleted meanwhile by someone else: what the caller wanted
      }
    }
    reply(call, 200, listOf(call.type(), deleted, Long.toString(store.resourceVersion()), null, 0));
  }

  ObjectNode current(Call call) {
    return store
        .get(call.type(), call.target().namespace(), call.target().name())
        .orElseThrow(() -> ObjectRules.notFound(call.type(), call.target().name()));
  }

  private static void checkIdentity(Call call, ObjectNode o) {
    String name = ObjectRules.name(o);
    if (name.isEmpty()) {
      ObjectRules.metadata(o).put("name", call.target().name());
    } else if (!name.equals(call.target().name())) {
      throw ApiException.badRequest(
          "the name of the object ("
              + name
              + ") does not match the name on the URL ("
              + call.target().name()
              + ")");
    }
    if (call.type().namespaced()) {
      String ns = ObjectRules.namespace(o);
      if (!ns.isEmpty() && !ns.equals(call.target().namespace())) {
        throw ApiException.badRequest(
            "the namespace of the object ("
                + ns
                + ") does not match the namespace on the URL ("
                + call.target().namespace()
                + ")");
      }
      ObjectRules.metadata(o).put("namespace", call.target().namespace());
    }
  }

  static void reply(Call call, int code, JsonNode body) {
    Replies.json(call.req().response(), code, body);
  }

  static String rv(JsonNode o) {
    return o.path("metadata").path("resourceVersion").asText("");
  }

  private static String key(ObjectNode o) {
    return ObjectRules.namespace(o) + "/" + ObjectRules.name(o);
  }

  private static String decodeContinue(String token) {
    try {
      String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (!key.contains("/")) {
        throw new IllegalArgumentException();
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "the continue token is not valid: it was not issued by this server");
    }
  }

  static int intParam(HttpServerRequest req, String name, int fallback) {
    String v = req.getParam(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("the query parameter " + name + " must be an integer: " + v);
    }
  }

  static ApiException notAllowed(HttpMethod m, String what) {
    return ApiException.methodNotAllowed(
        "the method "
            + m.name()
            + " on "
            + what
            + " is not supported by this SIMULATED API server");
  }
}
