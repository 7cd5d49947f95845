package dev.flotilla.simulator.api;

import dev.flotilla.simulator.store.ResourceType;
import io.vertx.core.http.HttpServerRequest;

/** One request on a resource: the HTTP request, where it points, the served type, its body. */
record Call(HttpServerRequest req, RequestTarget target, ResourceType type, byte[] body) {

  /** {@code dryRun=All}: validate and answer, store nothing. Any other value is refused. */
  boolean dryRun() {
    String v = req.getParam("dryRun");
    if (v == null || v.isEmpty()) {
      return false;
    }
    if (!v.equals("All")) {
      throw ApiException.badRequest("unsupported dryRun value \"" + v + "\" (only All is)");
    }
    return true;
  }
}
