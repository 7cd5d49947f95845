package dev.flotilla.agent.reconcile.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The one generic "make live look like desired" operation, for one object: Created, Patched,
 * Replaced or Unchanged. The default is the client-side three-way merge sent as a JSON Patch
 * guarded by the resourceVersion it was computed from, so a concurrent writer (a controller writing
 * status) makes us re-read and try again, a bounded number of times ({@value #ATTEMPTS}), instead
 * of clobbering.
 *
 * <p>The guard is a {@code replace} of {@code /metadata/resourceVersion} rather than a {@code test}
 * op: the API server makes a patch that carries a resourceVersion conditional on it and answers a
 * stale one with 409 Conflict; fabric8's mock API server does the same, whereas it never answers a
 * failed {@code test} (the request then hangs until the client's timeout). A 422 is therefore a
 * real refusal (an invalid object) and fails at once with the server's message.
 */
public final class ObjectApplier {

  /** Field manager for server-side apply. */
  public static final String FIELD_MANAGER = "flotilla";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Tries of one write, each after a fresh read when the previous one met a conflict. */
  public static final int ATTEMPTS = 5;

  /** How an object is written. */
  public enum Mode {
    /** Three-way merge as JSON Patch (works on every API server, including the mock). */
    PATCH,
    /** Argo's Replace=true: PUT the whole desired object. */
    REPLACE,
    /**
     * Argo's ServerSideApply=true: server-side apply with field manager {@value #FIELD_MANAGER}.
     */
    SERVER_SIDE
  }

  /** What was done to one object. */
  public enum Action {
    CREATED,
    PATCHED,
    REPLACED,
    UNCHANGED,
    DELETED
  }

  /**
   * The result of applying one object; {@code live} is the object as the server returned it.
   *
   * @param replaced the resourceVersion the write replaced: null for a create or no write
   */
  public record Outcome(Action action, ObjectNode live, String replaced) {
    public Outcome(Action action, ObjectNode live) {
      this(action, live, null);
    }
  }

  private final KubernetesClient client;
  private final ResourceTypes types;
  private final OwnWrites ownWrites = new OwnWrites();

  public ObjectApplier(KubernetesClient client, ResourceTypes types) {
    this.client = client;
    this.types = types;
  }

  public ResourceTypes types() {
    return types;
  }

  /** What this applier's last write of each object returned: every write here records it. */
  public OwnWrites ownWrites() {
    return ownWrites;
  }

  /** The live object, or null when it does not exist. */
  public ObjectNode get(ObjectKey key) {
    GenericKubernetesResource live = resource(key).get();
    return live == null ? null : toJson(live);
  }

  /**
   * Makes the live object equal desired on the fields we set.
   *
   * @param desired the full desired object, tracking and last-applied annotations included
   * @param live the object as last read, or null when missing
   * @param ignored JSON pointers whose differences alone do not warrant a write
   * @param respectIgnored Argo's RespectIgnoreDifferences=true: never write the ignored fields
   */
  public Outcome apply(
      ObjectNode desired,
      ObjectNode live,
      Mode mode,
      List<String> ignored,
      boolean respectIgnored) {
    return apply(desired, live, mode, ignored, respectIgnored, current -> true);
  }

  /**
   * The same, writing only while {@code stillWanted} holds for the live object (or null when
   * missing) as read, the re-reads after a conflict included.
   *
   * @throws SupersededException when it no longer holds (e.g. a sync wrote a newer desired state)
   */
  public Outcome apply(
      ObjectNode desired,
      ObjectNode live,
      Mode mode,
      List<String> ignored,
      boolean respectIgnored,
      Predicate<JsonNode> stillWanted) {
    ObjectKey key = ObjectKey.of(desired);
    ownWrites.begin(key);
    Outcome outcome;
    try {
      outcome = write(key, desired, live, mode, ignored, respectIgnored, stillWanted);
    } catch (RuntimeException e) {
      ownWrites.forget(key); // it may have been written all the same (a timeout)
      throw e;
    }
    if (outcome.action() == Action.UNCHANGED) {
      ownWrites.unchanged(key);
    } else {
      ownWrites.wrote(key, desired, outcome.replaced(), outcome.live());
    }
    return outcome;
  }

  private Outcome write(
      ObjectKey key,
      ObjectNode desired,
      ObjectNode live,
      Mode mode,
      List<String> ignored,
      boolean respectIgnored,
      Predicate<JsonNode> stillWanted) {
    ObjectNode current = live;
    for (int attempt = 1; ; attempt++) {
      requireSameOwner(key, desired, current);
      if (!stillWanted.test(current)) {
        throw new SupersededException(key + " changed in a way that this write no longer fits");
      }
      if (current == null) {
        if (mode == Mode.SERVER_SIDE) {
          // As kubectl apply --server-side: the apply creates it, and its fields are ours.
          return new Outcome(Action.CREATED, serverSideApply(key, desired), null);
        }
        try {
          GenericKubernetesResource created = resource(key, desired).create();
          return new Outcome(Action.CREATED, toJson(created), null);
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || attempt >= ATTEMPTS) {
            throw e;
          }
          current = get(key);
          continue;
        }
      }
      List<ThreeWayMerge.Operation> ops =
          ThreeWayMerge.operations(desired, lastApplied(current), current);
      List<ThreeWayMerge.Operation> relevant = ThreeWayMerge.without(ops, ignored);
      if (relevant.isEmpty()) {
        return new Outcome(Action.UNCHANGED, current, null);
      }
      if (respectIgnored) {
        ops = relevant;
      }
      try {
        String replaced = OwnWrites.resourceVersion(current);
        return switch (mode) {
          case PATCH -> new Outcome(Action.PATCHED, patch(key, current, ops), replaced);
          case REPLACE -> new Outcome(Action.REPLACED, replace(key, desired, current), replaced);
          case SERVER_SIDE -> new Outcome(Action.PATCHED, serverSideApply(key, desired), replaced);
        };
      } catch (KubernetesClientException e) {
        if (!isConflict(e)) {
          throw e;
        }
        if (attempt >= ATTEMPTS) {
          throw new KubernetesClientException(
              key + " kept changing under us: " + ATTEMPTS + " writes met a newer resourceVersion",
              e.getCode(),
              e.getStatus());
        }
        current = get(key);
      }
    }
  }

  /** A write refused because the object changed since it was read (a stale resourceVersion). */
  public static boolean isConflict(KubernetesClientException e) {
    return e.getCode() == 409;
  }

  /**
   * The last line of defence against adopting another Application's object: checked on every read,
   * including the re-read after a conflict, so a race cannot slip past the reconciler's own check.
   */
  private static void requireSameOwner(ObjectKey key, JsonNode desired, JsonNode live) {
    if (live == null) {
      return;
    }
    String ours = Tracking.owner(trackingId(desired));
    String theirs = Tracking.owner(trackingId(live));
    if (theirs != null && ours != null && !theirs.equals(ours)) {
      throw new OwnershipConflictException(
          key + " is owned by application '" + theirs + "', not '" + ours + "'");
    }
  }

  private static String trackingId(JsonNode obj) {
    return obj.path("metadata").path("annotations").path(Tracking.TRACKING_ID).asText(null);
  }

  /** The write was given up because the object no longer fits its precondition. */
  public static final class SupersededException extends IllegalStateException {
    public SupersededException(String message) {
      super(message);
    }
  }

  /** The object belongs to another Application. */
  public static final class OwnershipConflictException extends IllegalStateException {
    public OwnershipConflictException(String message) {
      super(message);
    }
  }

  private ObjectNode patch(ObjectKey key, ObjectNode live, List<ThreeWayMerge.Operation> ops) {
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    String rv = live.path("metadata").path("resourceVersion").asText("");
    if (!rv.isEmpty()) {
      patch.add(
          JsonNodeFactory.instance
              .objectNode()
              .put("op", "replace")
              .put("path", "/metadata/resourceVersion")
              .put("value", rv));
    }
    patch.addAll(ThreeWayMerge.toPatch(ops));
    GenericKubernetesResource result =
        addressed(key).patch(PatchContext.of(PatchType.JSON), patch.toString());
    return toJson(result);
  }

  /**
   * {@code key}'s resource carrying a stub object that only names it: fabric8's {@code
   * patch(PatchContext, String)} on a resource without an object GETs the object first, merely to
   * learn where to send the patch, which cost every patch one read.
   */
  private Resource<GenericKubernetesResource> addressed(ObjectKey key) {
    GenericKubernetesResource stub = new GenericKubernetesResource();
    stub.setApiVersion(key.apiVersion());
    stub.setKind(key.kind());
    ObjectMeta meta = new ObjectMeta();
    meta.setName(key.name());
    var op = client.genericKubernetesResources(types.context(key.type()));
    if (!types.namespaced(key.type())) {
      stub.setMetadata(meta);
      return op.resource(stub);
    }
    meta.setNamespace(key.namespace());
    stub.setMetadata(meta);
    return op.inNamespace(key.namespace()).resource(stub);
  }

  private ObjectNode replace(ObjectKey key, ObjectNode desired, ObjectNode live) {
    ObjectNode body = desired.deepCopy();
    ((ObjectNode) body.with("metadata"))
        .put("resourceVersion", live.path("metadata").path("resourceVersion").asText());
    return toJson(resource(key, body).update());
  }

  private ObjectNode serverSideApply(ObjectKey key, ObjectNode desired) {
    return toJson(
        resource(key, desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply());
  }

  /**
   * Deletes the object in the foreground (Argo's default prune propagation); true if it existed.
   */
  public boolean delete(ObjectKey key) {
    ownWrites.begin(key);
    try {
      return !resource(key)
          .withPropagationPolicy(DeletionPropagation.FOREGROUND)
          .delete()
          .isEmpty();
    } finally {
      ownWrites.forget(key);
    }
  }

  /** Every object of {@code type} carrying {@code label=value}, in all namespaces. */
  public List<ObjectNode> list(ObjectType type, String label, String value) {
    MixedOperation<
            GenericKubernetesResource,
            GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>>
        op = client.genericKubernetesResources(types.context(type));
    GenericKubernetesResourceList list =
        types.namespaced(type)
            ? op.inAnyNamespace().withLabel(label, value).list()
            : op.withLabel(label, value).list();
    List<ObjectNode> out = new ArrayList<>();
    for (GenericKubernetesResource r : list.getItems()) {
      ObjectNode node = toJson(r);
      if (!node.has("apiVersion")) {
        node.put("apiVersion", type.apiVersion());
      }
      if (!node.has("kind")) {
        node.put("kind", type.kind());
      }
      out.add(node);
    }
    return out;
  }

  private Resource<GenericKubernetesResource> resource(ObjectKey key) {
    var op = client.genericKubernetesResources(types.context(key.type()));
    return types.namespaced(key.type())
        ? op.inNamespace(key.namespace()).withName(key.name())
        : op.withName(key.name());
  }

  private Resource<GenericKubernetesResource> resource(ObjectKey key, ObjectNode body) {
    GenericKubernetesResource r =
        client.getKubernetesSerialization().convertValue(body, GenericKubernetesResource.class);
    var op = client.genericKubernetesResources(types.context(key.type()));
    return types.namespaced(key.type())
        ? op.inNamespace(key.namespace()).resource(r)
        : op.resource(r);
  }

  public ObjectNode toJson(GenericKubernetesResource r) {
    return JSON.valueToTree(r);
  }

  /** The last-applied desired state recorded on a live object, or null. */
  public static JsonNode lastApplied(JsonNode live) {
    String text = live.path("metadata").path("annotations").path(Tracking.LAST_APPLIED).asText("");
    if (text.isEmpty()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }
}
