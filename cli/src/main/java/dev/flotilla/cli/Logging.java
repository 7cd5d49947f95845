package dev.flotilla.cli;

/**
 * Log levels before any logger exists: the server logs at info, every other command (and the demo,
 * which prints its own progress) only warnings, unless {@code --verbose} or FLOTILLA_LOG_LEVEL says
 * otherwise.
 */
final class Logging {

  /** Held so the JUL settings are not garbage-collected with their loggers. */
  private static final java.util.List<java.util.logging.Logger> QUIETED =
      new java.util.ArrayList<>();

  private Logging() {}

  static void configure(String[] args) {
    String level = System.getenv("FLOTILLA_LOG_LEVEL");
    boolean verbose = false;
    boolean server = args.length > 0 && (args[0].equals("server") || args[0].equals("agent"));
    for (String a : args) {
      verbose |= a.equals("--verbose") || a.equals("-v");
    }
    if (level == null) {
      level = verbose ? "debug" : server ? "info" : "warn";
    }
    set("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    set("org.slf4j.simpleLogger.log.dev.flotilla", level);
    set("org.slf4j.simpleLogger.showDateTime", "true");
    set("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    set("org.slf4j.simpleLogger.showShortLogName", "true");
    set("org.slf4j.simpleLogger.showLogName", "false");
    // The mock API server and Netty are chatty at info; their warnings still show.
    set("org.slf4j.simpleLogger.log.io.fabric8.mockwebserver", "error");
    set("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.server.mock", "error");
    // The mock web server logs every request through java.util.logging.
    java.util.logging.Logger mock = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    mock.setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
    QUIETED.add(mock);
  }

  private static void set(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
