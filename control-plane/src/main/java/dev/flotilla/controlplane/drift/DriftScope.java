package dev.flotilla.controlplane.drift;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.core.rbac.Resources;

/**
 * Which drift a caller may see: that of the Applications it may {@code get}. Drift of anything else
 * does not exist for it, in the items and in every total, so counts cannot leak what names hide.
 */
@FunctionalInterface
public interface DriftScope {

  /** Sees all drift (the control plane itself, tests). */
  DriftScope EVERYTHING = (project, application) -> true;

  /** Whether drift of {@code application} in {@code project} is visible. */
  boolean sees(String project, String application);

  /**
   * The scope of {@code caller}: policy object {@code <project>/<application>} of resource {@code
   * applications}, action {@code get}, the same decision that shows or hides the Application.
   */
  static DriftScope of(Caller caller) {
    return (project, application) ->
        caller.sees(Resources.APPLICATIONS, Guard.inProject(project, application));
  }
}
