package dev.flotilla.controlplane;

import dev.flotilla.core.cli.DurationConverter;
import picocli.CommandLine;

/**
 * Entry point of the stand-alone server jar ({@code flotilla-server.jar}, the server image): the
 * {@code flotilla server} command alone, without the CLI's demo and its mock API server.
 */
public final class ServerMain {

  private ServerMain() {}

  public static void main(String[] args) {
    dev.flotilla.core.runtime.CommonPoolParallelism.ensure();
    System.exit(commandLine().execute(args));
  }

  /**
   * {@code flotilla server}'s command line, with the shared duration flags (3m as well as PT3M).
   */
  public static CommandLine commandLine() {
    return DurationConverter.registerOn(new CommandLine(new ServerCommand()));
  }
}
