package dev.flotilla.e2e;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies everything written to System.err and System.out (where slf4j-simple writes every log line
 * of the control plane, the agents and the libraries; it looks the stream up at each line) into a
 * buffer as well, until closed: tests grep it for what must never be logged.
 */
final class LogCapture implements AutoCloseable {

  private final PrintStream err;
  private final PrintStream out;
  private boolean closed;

  private LogCapture(OutputStream copy) {
    this.err = System.err;
    this.out = System.out;
    System.setErr(tee(err, copy));
    System.setOut(tee(out, copy));
  }

  static LogCapture start(OutputStream copy) {
    return new LogCapture(copy);
  }

  private static PrintStream tee(PrintStream original, OutputStream copy) {
    return new PrintStream(
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (copy) {
              original.write(b);
              try {
                copy.write(b);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (copy) {
              original.write(b, off, len);
              try {
                copy.write(b, off, len);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }
        },
        true,
        StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      System.setErr(err);
      System.setOut(out);
    }
  }
}
