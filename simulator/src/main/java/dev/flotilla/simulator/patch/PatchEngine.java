package dev.flotilla.simulator.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * The patches of a SIMULATED API server, pure: Jackson trees in, Jackson trees out, no HTTP and no
 * store. Four content types, as kube-apiserver accepts them: JSON Patch, JSON Merge Patch,
 * strategic merge patch (built-in kinds only) and server-side apply. Every write also keeps {@code
 * metadata.managedFields}, so that server-side apply sees what other writers own.
 *
 * <p>Inputs are never modified. The result is the new object; resourceVersion, generation and
 * validation are the store's job.
 */
public final class PatchEngine {

  public static final String JSON_PATCH = "application/json-patch+json";
  public static final String MERGE_PATCH = "application/merge-patch+json";
  public static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  public static final String APPLY_PATCH = "application/apply-patch+yaml";

  /** What kube-apiserver lists in its 415 for a built-in type, in its order. */
  public static final List<String> BUILT_IN_PATCH_TYPES =
      List.of(JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH);

  /** What apiextensions-apiserver lists for a custom resource: no strategic merge patch. */
  public static final List<String> CUSTOM_RESOURCE_PATCH_TYPES =
      List.of(JSON_PATCH, MERGE_PATCH, APPLY_PATCH);

  private final PatchStrategies strategies;
  private final ManagedFields managedFields;
  private final ServerSideApply serverSideApply;

  private PatchEngine(PatchStrategies strategies, Clock clock) {
    this.strategies = strategies;
    this.managedFields = new ManagedFields(clock);
    this.serverSideApply = new ServerSideApply(strategies, managedFields);
  }

  /** The engine with the built-in kinds' merge keys and the system clock for managedFields. */
  public static PatchEngine standard() {
    return new PatchEngine(PatchStrategies.standard(), Clock.systemUTC());
  }

  /** As {@link #standard()}, with the clock that stamps {@code managedFields[].time}. */
  public static PatchEngine standard(Clock clock) {
    return new PatchEngine(PatchStrategies.standard(), clock);
  }

  /** The patch types this type accepts, as the 415 and discovery list them. */
  public List<String> patchTypes(ResourceType type) {
    return strategies.isBuiltIn(type) ? BUILT_IN_PATCH_TYPES : CUSTOM_RESOURCE_PATCH_TYPES;
  }

  /**
   * Applies a PATCH request body to the current object.
   *
   * @param contentType the request's Content-Type ({@code ; charset=...} is ignored)
   * @param current the stored object, or null when absent (only server-side apply creates)
   * @param fieldManager the {@code fieldManager} query parameter (see {@link #managerOrUserAgent});
   *     required for apply, recorded as an Update manager otherwise
   * @param force the {@code force} query parameter of server-side apply
   * @throws PatchException with code 400/404/409/415/422 and a message naming what is wrong
   */
  public ObjectNode apply(
      String contentType,
      ResourceType type,
      ObjectNode current,
      byte[] patch,
      String fieldManager,
      boolean force) {
    String mediaType = mediaType(contentType);
    if (!patchTypes(type).contains(mediaType)) {
      throw PatchException.unsupportedMediaType(
          "the body of the request was in an unknown format - accepted media types include: "
              + String.join(", ", patchTypes(type)));
    }
    if (force && !mediaType.equals(APPLY_PATCH)) {
      throw PatchException.invalid(
          "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for"
              + " non-apply patch",
          new PatchException.Cause(
              "FieldValueForbidden",
              "Forbidden: may not be specified for non-apply patch",
              "force"));
    }
    if (mediaType.equals(APPLY_PATCH)) {
      return serverSideApply.apply(type, current, patch, fieldManager, force);
    }
    if (current == null) {
      throw PatchException.notFound(
          type.groupResource() + " not found: only server-side apply creates an object");
    }
    ObjectNode patched =
        switch (mediaType) {
          case JSON_PATCH -> JsonPatchApplier.apply(current, patch);
          case MERGE_PATCH -> MergePatch.apply(current, patch);
          default -> StrategicMergePatch.apply(strategies, type, current, patch);
        };
    return managedFields.recordUpdate(strategies, type, current, patched, fieldManager);
  }

  /**
   * Records an ordinary write (a create when old is null, an update, a write to a subresource) in
   * {@code managedFields} as kube-apiserver does: the fields that changed go to the manager's
   * Update entry and leave everybody else's. Returns a copy of updated.
   */
  public ObjectNode recordUpdate(
      ResourceType type, ObjectNode old, ObjectNode updated, String fieldManager) {
    return managedFields.recordUpdate(strategies, type, old, updated.deepCopy(), fieldManager);
  }

  /**
   * The field manager of a write: the {@code fieldManager} parameter, else the User-Agent up to its
   * first slash ({@code kubectl/v1.32.4 (linux/amd64)} → {@code kubectl}), as the API server names
   * it.
   */
  public static String managerOrUserAgent(String fieldManager, String userAgent) {
    if (fieldManager != null && !fieldManager.isEmpty()) {
      return fieldManager;
    }
    if (userAgent == null) {
      return "";
    }
    int slash = userAgent.indexOf('/');
    return slash < 0 ? userAgent : userAgent.substring(0, slash);
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon >= 0 ? contentType.substring(0, semicolon) : contentType;
    return type.trim().toLowerCase(Locale.ROOT);
  }

  /** How an error names a JSON value's kind ("array", "string"...). */
  static String kindOf(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "array";
      case OBJECT -> "object";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "bool";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
