package dev.flotilla.agent.reconcile;

import java.util.function.Function;

/**
 * One step of a reconcile: either it goes on with a value for the next step, or it ends the
 * reconcile with a result (a failure, a refusal). Lets {@link ApplicationReconciler} read as the
 * chain of its named steps; the steps block (worker threads), so this is not a Future.
 */
final class ReconcileStep<T> {

  private final T value;
  private final ReconcileResult result;

  private ReconcileStep(T value, ReconcileResult result) {
    this.value = value;
    this.result = result;
  }

  static <T> ReconcileStep<T> next(T value) {
    return new ReconcileStep<>(value, null);
  }

  static <T> ReconcileStep<T> end(ReconcileResult result) {
    return new ReconcileStep<>(null, result);
  }

  <U> ReconcileStep<U> then(Function<T, ReconcileStep<U>> step) {
    return result != null ? end(result) : step.apply(value);
  }

  ReconcileResult finish(Function<T, ReconcileResult> step) {
    return result != null ? result : step.apply(value);
  }
}
