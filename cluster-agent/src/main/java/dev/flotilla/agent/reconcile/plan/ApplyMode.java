package dev.flotilla.agent.reconcile.plan;

/** How one object is written: the planner's word for it, mapped to the applier's by the shell. */
public enum ApplyMode {
  /** The default client-side three-way merge sent as a JSON Patch. */
  PATCH,
  /** Argo CD's {@code Replace=true}: the whole desired object replaces the live one. */
  REPLACE,
  /** Argo CD's {@code ServerSideApply=true}: server-side apply under the agent's field manager. */
  SERVER_SIDE
}
