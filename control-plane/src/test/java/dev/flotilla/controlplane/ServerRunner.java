package dev.flotilla.controlplane;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Runs {@code flotilla server ARGS} in-process as the server jar does, capturing exit code, stdout
 * and stderr. The first argument is the word {@code server}, as typed.
 */
final class ServerRunner {

  record Run(int exitCode, String out, String err) {}

  private ServerRunner() {}

  static synchronized Run run(String... args) {
    if (args.length == 0 || !args[0].equals("server")) {
      throw new IllegalArgumentException("expected 'server' first, got " + Arrays.toString(args));
    }
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      CommandLine cli = ServerMain.commandLine();
      int code = cli.execute(Arrays.copyOfRange(args, 1, args.length));
      cli.getOut().flush();
      cli.getErr().flush();
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
