package dev.flotilla.agent.reconcile;

import java.util.logging.Level;
import java.util.logging.Logger;

/** The mock API server logs every request at INFO; tests only want its warnings. */
public final class QuietMockServer {

  private static final Logger MOCK = Logger.getLogger("io.fabric8.mockwebserver");

  private QuietMockServer() {}

  public static void quiet() {
    MOCK.setLevel(Level.WARNING);
  }
}
