package dev.flotilla.render;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one render tool (kubectl kustomize, or the Helm child JVM) under a hard deadline, with its
 * output bounded while it streams.
 *
 * <p>stdout and stderr are drained on their own threads, so a tool filling one pipe never blocks on
 * it; stdout is counted as it arrives and the tool is killed the moment it passes the limit, so the
 * agent never holds more than the limit. At the deadline the tool and every process it started
 * (e.g. git for a remote base) are killed, which is the only way to stop a read from a server that
 * never answers.
 */
final class RenderProcess {

  /** How much of stderr is kept for the error message; the rest is read and dropped. */
  static final int STDERR_KEPT = 16 * 1024;

  /** How long stderr may stay open after the tool exited before its message is taken as is. */
  private static final Duration STDERR_GRACE = Duration.ofSeconds(5);

  /** The agent's own secrets (control-plane token, Git password) are no business of a tool. */
  private static final String AGENT_ENV_PREFIX = "FLOTILLA_";

  private static final AtomicInteger THREADS = new AtomicInteger();

  /** Pipe readers block in read(); daemon threads, so a stuck one never holds the JVM open. */
  private static final ExecutorService IO =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "render-io-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  /** What a tool that finished in time, within the output limit, left behind. */
  record Output(int exitCode, byte[] stdout, String stderr) {}

  private RenderProcess() {}

  /**
   * Runs {@code command} in {@code workDir} with the agent's environment plus {@code env}, writing
   * {@code stdin} (may be null) to it.
   *
   * @param display what is rendered, for messages (e.g. "kustomize build apps/web")
   * @throws RenderException when the tool cannot start, passes {@link RenderLimits#maxFileBytes()}
   *     of output, or outlives {@link RenderLimits#renderTimeout()}
   */
  static Output run(
      List<String> command,
      Path workDir,
      Map<String, String> env,
      byte[] stdin,
      String display,
      RenderLimits limits)
      throws RenderException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith(AGENT_ENV_PREFIX));
    builder.environment().putAll(env);
    long deadline = System.nanoTime() + limits.renderTimeout().toNanos();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new RenderException(
          display + " could not start " + command.get(0) + ": " + e.getMessage(), e);
    }
    long limit = Math.min(limits.maxFileBytes(), Integer.MAX_VALUE - 16);
    AtomicBoolean overLimit = new AtomicBoolean();
    StderrHead stderr = new StderrHead();
    Future<?> stderrDrained = IO.submit(() -> stderr.drain(process.getErrorStream()));
    Future<byte[]> stdout =
        IO.submit(
            () ->
                readBounded(
                    process.getInputStream(),
                    limit,
                    () -> {
                      overLimit.set(true);
                      destroyTree(process);
                    }));
    if (stdin == null) {
      closeQuietly(process.getOutputStream());
    } else {
      IO.submit(() -> feed(process.getOutputStream(), stdin));
    }
    try {
      byte[] out = stdout.get(remaining(deadline), TimeUnit.NANOSECONDS);
      if (overLimit.get()) {
        throw overLimit(display, limit);
      }
      if (!process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw timedOut(display, limits.renderTimeout());
      }
      // Anything the tool left running would hold stderr open; it has no business running on.
      destroyTree(process);
      try {
        // Normally at EOF already; a grandchild that escaped the kill may hold it open for ever.
        stderrDrained.get(
            Math.min(remaining(deadline), STDERR_GRACE.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // What was read so far explains the failure well enough.
      }
      return new Output(process.exitValue(), out, stderr.text());
    } catch (TimeoutException e) {
      throw overLimit.get() ? overLimit(display, limit) : timedOut(display, limits.renderTimeout());
    } catch (ExecutionException e) {
      throw new RenderException(
          display + ": its output could not be read: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RenderException(display + " was interrupted (the agent is stopping)", e);
    } finally {
      stdout.cancel(true);
      if (process.isAlive() || process.descendants().findAny().isPresent()) {
        destroyTree(process);
        awaitDeath(process);
      }
    }
  }

  /**
   * A tool that ended with {@code out}'s non-zero exit code: its own words, or, killed by a signal
   * it did not get from the agent, the likely reason.
   */
  static RenderException failed(String display, Output out) {
    String said = out.stderr().trim();
    if (said.isEmpty() && out.exitCode() > 128) {
      return new RenderException(
          display
              + " was killed by signal "
              + (out.exitCode() - 128)
              + " (out of memory? the agent's memory limit is shared with its renders)");
    }
    return new RenderException(
        display + " failed: " + (said.isEmpty() ? "exit code " + out.exitCode() : said));
  }

  private static RenderException timedOut(String display, Duration timeout) {
    return new RenderException(
        display
            + " timed out after "
            + seconds(timeout)
            + " and was stopped; something it reads (a remote base or chart dependency, a slow"
            + " server) did not answer in time: fix the source, or raise the agent's"
            + " --render-timeout");
  }

  static RenderException overLimit(String display, long limit) {
    return new RenderException(
        display
            + " wrote more than "
            + limit
            + " bytes of manifests, the limit for one render, and was stopped; split it into"
            + " smaller Applications");
  }

  /** "90s", or "1.5s" for a timeout that is not a whole number of seconds. */
  static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis / 1000.0 + "s";
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /**
   * Kills {@code process} and every process it started. The descendants are listed first: once
   * their parent is dead they are re-parented and no longer found through it.
   */
  static void destroyTree(Process process) {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    // Through its handle: Process.destroyForcibly() also closes our ends of its pipes, and a
    // drain thread not yet scheduled (a loaded machine) would lose stderr already written.
    process.toHandle().destroyForcibly();
    for (int i = 0; i < tree.size(); i++) {
      ProcessHandle p = tree.get(i);
      // A child that was still starting one of its own when the list was taken.
      p.descendants().filter(d -> !tree.contains(d)).forEach(tree::add);
      p.destroyForcibly();
    }
  }

  /** SIGKILL takes effect within milliseconds; wait for it so that nothing outlives the render. */
  private static void awaitDeath(Process process) {
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** stdout up to {@code limit} bytes; past it, {@code overLimit} runs and null is returned. */
  private static byte[] readBounded(InputStream in, long limit, Runnable overLimit)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    try (in) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        if (out.size() + (long) n > limit) {
          overLimit.run();
          return null;
        }
        out.write(buffer, 0, n);
      }
    }
    return out.toByteArray();
  }

  private static void feed(OutputStream in, byte[] bytes) {
    try (in) {
      in.write(bytes);
    } catch (IOException e) {
      // The tool exited or was killed before reading it all; its exit code tells why.
    }
  }

  private static void closeQuietly(OutputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // Nothing was to be written anyway.
    }
  }

  /** The first {@link #STDERR_KEPT} bytes of stderr; the rest is drained and dropped. */
  private static final class StderrHead {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    void drain(InputStream in) {
      byte[] buffer = new byte[8 * 1024];
      try (in) {
        int n;
        while ((n = in.read(buffer)) != -1) {
          synchronized (kept) {
            kept.write(buffer, 0, Math.max(0, Math.min(n, STDERR_KEPT - kept.size())));
          }
        }
      } catch (IOException e) {
        // Killed: what was read so far is all there is.
      }
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
