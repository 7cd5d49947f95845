package dev.flotilla.agent;

import picocli.CommandLine;

/** Entry point of the stand-alone agent jar (what runs inside a cluster). */
public final class AgentMain {

  private AgentMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentCommand()).execute(args));
  }
}
