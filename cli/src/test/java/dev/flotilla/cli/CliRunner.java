package dev.flotilla.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the CLI in-process as a user types it, capturing exit code, stdout and stderr. */
public final class CliRunner {

  /** What one command printed and returned. */
  public record Run(int exitCode, String out, String err) {}

  private CliRunner() {}

  public static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CommandLine cli = FlotillaCli.commandLine();
      int code = cli.execute(args);
      // picocli reports an unexpected exception through its own writers; flush them so a failing
      // test shows the stack trace.
      cli.getOut().flush();
      cli.getErr().flush();
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** The same, against the control plane at {@code api} with {@code token}. */
  public static Run runAgainst(String api, String token, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--api";
    all[args.length + 1] = api;
    all[args.length + 2] = "--token";
    all[args.length + 3] = token;
    return run(all);
  }
}
