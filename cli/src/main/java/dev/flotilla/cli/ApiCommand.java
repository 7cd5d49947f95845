package dev.flotilla.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command that talks to a running control plane. A {@link CliException} becomes one line on
 * stderr ({@code error: ...}) and exit code 1; stdout stays clean for scripts.
 */
abstract class ApiCommand implements Callable<Integer> {

  @Mixin ApiOptions api;

  abstract void run(ApiClient client) throws CliException;

  @Override
  public final Integer call() {
    try {
      run(api.client());
      return 0;
    } catch (CliException e) {
      System.err.println("error: " + Table.escape(e.getMessage()));
      return 1;
    }
  }
}
