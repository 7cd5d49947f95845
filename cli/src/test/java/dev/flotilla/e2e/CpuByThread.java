package dev.flotilla.e2e;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time spent between two snapshots, by thread group (a thread's name with its digits taken out:
 * {@code reconcile-17} counts as {@code reconcile-N}), by threads that ended in between (JGit's
 * per-fetch threads), and by the PostgreSQL server's processes. Exact accounting where a sampling
 * profiler takes a few hundred samples of a starved JVM; for the benchmark mains.
 */
final class CpuByThread {

  private static final long TICK = 10_000_000L; // USER_HZ is 100 on Linux

  private final Map<Long, Long> perThread = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();
  private final long process;
  private final long children;

  private CpuByThread(long process, long children) {
    this.process = process;
    this.children = children;
  }

  static CpuByThread now() {
    CpuByThread s = new CpuByThread(processCpuNanos(), childrenCpuNanos());
    // /proc/self/task rather than ThreadMXBean: it also lists the JVM's own threads (GC, JIT).
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long tid = Long.parseLong(task.getFileName().toString());
          s.perThread.put(tid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK);
          s.names.put(tid, name.replaceAll("\\d+", "N"));
        } catch (Exception gone) {
          // ended while listed
        }
      }
    } catch (Exception e) {
      // not Linux: everything counts as ended threads
    }
    return s;
  }

  /** What was spent since {@code before}, by group, in milliseconds, largest first (as text). */
  String since(CpuByThread before, int rounds) {
    Map<String, Long> groups = new TreeMap<>();
    long live = 0;
    for (Map.Entry<Long, Long> e : perThread.entrySet()) {
      long spent = e.getValue() - before.perThread.getOrDefault(e.getKey(), 0L);
      groups.merge(names.get(e.getKey()), spent, Long::sum);
      live += spent;
    }
    groups.merge("(threads that ended)", Math.max(0, process - before.process - live), Long::sum);
    groups.merge("(PostgreSQL processes)", children - before.children, Long::sum);
    long total = groups.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder out = new StringBuilder();
    groups.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .filter(e -> e.getValue() * 200 >= total)
        .forEach(
            e ->
                out.append(
                    String.format(
                        "  %7.0f ms/round %5.1f %%  %s%n",
                        e.getValue() / 1e6 / rounds, 100.0 * e.getValue() / total, e.getKey())));
    return String.format("CPU by thread group, per round (total %.0f ms):%n", total / 1e6 / rounds)
        + out;
  }

  /** This JVM's CPU time at the snapshot. */
  long process() {
    return process;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * utime + stime of every process named {@code postgres} (Linux /proc; 0 elsewhere): the embedded
   * server detaches from this JVM, so it is found by name; on a shared machine other PostgreSQL
   * servers would count too.
   */
  private static long childrenCpuNanos() {
    long ticks = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(p.resolve("stat"));
          if (!stat.contains("(postgres)")) {
            continue;
          }
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception gone) {
          // exited while listed
        }
      }
    } catch (Exception e) {
      return 0;
    }
    return ticks * TICK;
  }
}
