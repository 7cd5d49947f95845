package dev.flotilla.agent.reconcile.drift;

/**
 * Told about every drift the watcher finds: once per change, after self-heal reverted it (healedAt
 * set) or, without self-heal or when healing failed, as soon as it is detected. Called on the
 * watcher's own thread: return quickly, never block.
 */
@FunctionalInterface
public interface DriftListener {
  void onDrift(Drift drift);
}
