package dev.flotilla.agent.reconcile.drift;

/**
 * Told of every change of the drift report's state: an occurrence opening (an object first seen
 * different from Git), what differs changing while it is open, and its close (equal again, with
 * when and by what). Every report of one occurrence has the same {@link Drift#detectedAt()}. Called
 * on the watcher's or a reconcile worker's thread, in order for one occurrence: return quickly,
 * never block.
 */
@FunctionalInterface
public interface DriftListener {
  void onDrift(Drift drift);
}
