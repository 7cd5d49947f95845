package dev.flotilla.agent.reconcile.operation;

/** Argo CD's operation phases, with Argo's meaning. */
public enum OperationPhase {
  RUNNING("Running"),
  /** Asked to stop; only the control plane shows it, until the agent reports the end. */
  TERMINATING("Terminating"),
  SUCCEEDED("Succeeded"),
  /** The sync ran and did not finish: an object failed, a wave never became healthy, terminated. */
  FAILED("Failed"),
  /** The sync could not start: render failed, the project refused, the cluster was unreadable. */
  ERROR("Error");

  private final String label;

  OperationPhase(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean completed() {
    return this == SUCCEEDED || this == FAILED || this == ERROR;
  }
}
