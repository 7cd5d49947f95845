package dev.flotilla.simulator.controller;

import java.time.Duration;

/** One controller's reconcile of one object, read afresh from the store. */
interface Reconciler {

  /**
   * Makes the cluster match the object's spec as far as it can now; returns when to look again
   * (something is waiting for a delay to pass), or null when only a change should wake it.
   */
  Duration reconcile(String namespace, String name);
}
