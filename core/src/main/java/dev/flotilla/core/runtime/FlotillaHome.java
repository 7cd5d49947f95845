package dev.flotilla.core.runtime;

import java.nio.file.Path;

/** Where local state lives: $FLOTILLA_HOME, or ~/.flotilla. */
public final class FlotillaHome {

  private FlotillaHome() {}

  public static Path resolve() {
    String env = System.getenv("FLOTILLA_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    return Path.of(System.getProperty("user.home"), ".flotilla");
  }
}
