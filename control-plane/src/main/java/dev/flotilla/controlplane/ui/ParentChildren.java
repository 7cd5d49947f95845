package dev.flotilla.controlplane.ui;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What an App of Apps parent last declared, as the REST {@code children} endpoint answers it
 * ({@code children}: kind and name of each; {@code conditions}: type and message of each), for the
 * Application page, which has already read the Application for its caller; empty arrays for an
 * Application that is no parent.
 */
@FunctionalInterface
public interface ParentChildren {

  Future<JsonObject> of(String application);
}
