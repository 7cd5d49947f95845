package dev.flotilla.controlplane.rest;

import io.vertx.ext.web.Router;

/**
 * One feature's REST endpoints; {@link RestApi} mounts them behind the shared body limit and auth.
 */
public interface Routes {
  void mount(Router router);
}
