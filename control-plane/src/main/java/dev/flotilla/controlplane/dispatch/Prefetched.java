package dev.flotilla.controlplane.dispatch;

import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.project.ProjectGate;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one read for the resync of many agents found for one of their clusters (see {@link
 * ResyncPrefetch}). A session uses it only when it was read after everything the session already
 * holds, so it never sends an older state than it sent.
 *
 * @param readFrom a {@link #tick} taken before the reads were issued: they saw no older state
 * @param readUntil a tick taken once they completed: they saw no newer state
 * @param policies every project's policies
 * @param generations the generation of each Application whose destination is the cluster
 * @param read the names whose documents were read: those the session lacked at that generation as
 *     far as the reader knew (any other it lacks, it reads itself)
 * @param documents those of {@code read} whose destination was still the cluster
 */
record Prefetched(
    long readFrom,
    long readUntil,
    ProjectGate.Policies policies,
    Map<String, Long> generations,
    Set<String> read,
    Map<String, StoredApplication> documents) {

  private static final AtomicLong TICKS = new AtomicLong();

  /** A process-wide order of reads: a read issued after another completed has a larger tick. */
  static long tick() {
    return TICKS.incrementAndGet();
  }
}
