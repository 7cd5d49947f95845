package dev.flotilla.controlplane.appset;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Keeps one ApplicationSet's generation from running on two control-plane replicas at once (a lease
 * in Postgres); {@link #NONE} when this process is alone. Within one process, generations of a set
 * are chained by the controller itself.
 */
@FunctionalInterface
public interface GenerationLock {

  GenerationLock NONE = (name, work) -> work.get();

  /** Runs {@code work} once no other replica generates {@code applicationSet}, then lets go. */
  Future<Void> exclusively(String applicationSet, Supplier<Future<Void>> work);
}
