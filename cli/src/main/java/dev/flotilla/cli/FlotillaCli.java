package dev.flotilla.cli;

import dev.flotilla.agent.AgentCommand;
import dev.flotilla.controlplane.ServerCommand;
import dev.flotilla.core.cli.DurationConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flotilla} command line. */
@Command(
    name = "flotilla",
    mixinStandardHelpOptions = true,
    version = "flotilla 0.1.0",
    description = "Multi-cluster GitOps: Git is the only deploy command.",
    subcommands = {
      ServerCommand.class,
      AgentCommand.class,
      ClusterCommand.class,
      AppSetCommand.class,
      ApplicationCommand.class,
      ProjectCommand.class,
      RepoCommand.class,
      RepoCredsCommand.class,
      DriftCommand.class,
      WhoamiCommand.class,
      UserCommand.class,
      TeamCommand.class,
      TokenCommand.class,
      PolicyCommand.class,
      AuditCommand.class,
      LoginCommand.class,
      LoginCommand.Logout.class,
      DemoCommand.class,
      dev.flotilla.bench.BenchCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Start here:  flotilla demo          (everything in one process, three simulated clusters)",
      "Environment: FLOTILLA_HOME (local state, default ~/.flotilla), FLOTILLA_DB_URL, FLOTILLA_API,"
          + " FLOTILLA_TOKEN, FLOTILLA_CACERT, FLOTILLA_TLS_CERT, FLOTILLA_TLS_KEY"
    })
public final class FlotillaCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    dev.flotilla.core.runtime.CommonPoolParallelism.ensure();
    Logging.configure(args);
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    // Every duration flag of every subcommand takes 3m as well as PT3M.
    return DurationConverter.registerOn(
        new CommandLine(new FlotillaCli()).setCaseInsensitiveEnumValuesAllowed(true));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
