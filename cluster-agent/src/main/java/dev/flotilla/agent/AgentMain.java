package dev.flotilla.agent;

/** Entry point of the stand-alone agent jar (what runs inside a cluster). */
public final class AgentMain {

  private AgentMain() {}

  public static void main(String[] args) {
    dev.flotilla.core.runtime.CommonPoolParallelism.ensure();
    System.exit(AgentCommand.commandLine(new AgentCommand()).execute(args));
  }
}
