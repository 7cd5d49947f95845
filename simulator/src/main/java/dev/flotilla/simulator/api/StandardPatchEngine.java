package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.patch.PatchException;
import dev.flotilla.simulator.store.ResourceType;
import java.time.Clock;

/**
 * Every patch type kubectl sends — JSON Patch, merge patch, strategic merge patch for the built-in
 * kinds, server-side apply — through the pure engine of {@code simulator.patch}; its refusals
 * become the API server's {@code Status} answers with the same code, reason and message.
 */
public final class StandardPatchEngine implements PatchEngine {

  private final dev.flotilla.simulator.patch.PatchEngine engine;

  public StandardPatchEngine(Clock clock) {
    this.engine = dev.flotilla.simulator.patch.PatchEngine.standard(clock);
  }

  @Override
  public ObjectNode apply(
      String contentType,
      ResourceType type,
      ObjectNode current,
      byte[] patch,
      String fieldManager,
      boolean force) {
    try {
      return engine.apply(contentType, type, current, patch, fieldManager, force);
    } catch (PatchException e) {
      throw new ApiException(e.code(), e.reason(), e.getMessage());
    }
  }

  /**
   * The field manager of a request: the {@code fieldManager} parameter; for anything but
   * server-side apply (where it is required) the User-Agent's product when absent, as the real API
   * server names {@code kubectl edit}'s or {@code kubectl scale}'s changes.
   */
  static String fieldManager(String parameter, String contentType, String userAgent) {
    if (contentType.equals(dev.flotilla.simulator.patch.PatchEngine.APPLY_PATCH)) {
      return parameter;
    }
    String manager =
        dev.flotilla.simulator.patch.PatchEngine.managerOrUserAgent(parameter, userAgent);
    return manager.isEmpty() ? null : manager;
  }
}
