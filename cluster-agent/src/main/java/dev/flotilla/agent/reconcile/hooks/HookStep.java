package dev.flotilla.agent.reconcile.hooks;

/**
 * How far the hooks of one wave (or one phase) got in one reconcile.
 *
 * @param state done, waiting (come back later) or failed
 * @param message what it waits for, or why it failed; empty when done
 */
public record HookStep(State state, String message) {

  /** The outcome of running hooks in one reconcile. */
  public enum State {
    DONE,
    WAITING,
    FAILED
  }

  public static final HookStep DONE = new HookStep(State.DONE, "");

  public static HookStep waiting(String message) {
    return new HookStep(State.WAITING, message);
  }

  public static HookStep failed(String message) {
    return new HookStep(State.FAILED, message);
  }

  public boolean done() {
    return state == State.DONE;
  }

  public boolean waiting() {
    return state == State.WAITING;
  }

  public boolean failed() {
    return state == State.FAILED;
  }
}
