package dev.flotilla.core.metrics;

/** Checks a {@code --metrics-port} value where it enters, with a message naming what is wrong. */
public final class MetricsPort {

  /** The flag both {@code flotilla server} and {@code flotilla agent} take. */
  public static final String FLAG = "--metrics-port";

  private MetricsPort() {}

  /**
   * @param port the value given (0 picks a free port)
   * @param taken ports this process already listens on (0 entries are ignored: they are free ports
   *     picked at start and cannot clash)
   * @throws IllegalArgumentException when {@code port} is out of range or one of {@code taken}
   */
  public static int check(int port, int... taken) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          FLAG + " must be a TCP port from 1 to 65535 (or 0 for any free port), not " + port);
    }
    for (int t : taken) {
      if (port != 0 && port == t) {
        throw new IllegalArgumentException(
            FLAG
                + " "
                + port
                + " is already this process's API port: give metrics a port of their own");
      }
    }
    return port;
  }
}
