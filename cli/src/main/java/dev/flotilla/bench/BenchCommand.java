package dev.flotilla.bench;

import picocli.CommandLine.Command;

/** {@code flotilla bench}: load generators for capacity planning. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Load generators that measure a control plane, for capacity planning.",
    subcommands = {FleetBenchCommand.class})
public final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
