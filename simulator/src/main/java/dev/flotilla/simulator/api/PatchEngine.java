package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ResourceType;

/**
 * Applies a PATCH body to the current object, chosen by the request's Content-Type: {@code
 * application/json-patch+json}, {@code application/merge-patch+json}, {@code
 * application/strategic-merge-patch+json}, {@code application/apply-patch+yaml}. Pure: it returns
 * the object to store and never writes; the server stores it with the usual resourceVersion rules.
 */
public interface PatchEngine {

  /**
   * @param contentType the media type without parameters
   * @param type the patched resource (for strategic merge keys); a Scale for the scale subresource
   * @param current a copy of the stored object; null only for server-side apply of a new object
   * @param patch the request body
   * @param fieldManager the {@code fieldManager} query parameter, or null
   * @param force the {@code force} query parameter (server-side apply conflicts)
   * @return the patched object
   * @throws ApiException 415 for a patch type not simulated, 422 for a patch that does not apply
   */
  ObjectNode apply(
      String contentType,
      ResourceType type,
      ObjectNode current,
      byte[] patch,
      String fieldManager,
      boolean force);
}
