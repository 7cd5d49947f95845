package dev.flotilla.controlplane.application;

import dev.flotilla.core.selector.LabelSelector;

/**
 * Which Applications a list asks for; an empty (or null) field matches everything.
 *
 * @param syncStatus {@code Synced}, {@code OutOfSync} or {@code Unknown}
 * @param health {@code Healthy}, {@code Progressing}, {@code Degraded}, {@code Suspended}, {@code
 *     Missing} or {@code Unknown}
 */
public record ApplicationFilter(
    String project,
    String cluster,
    String applicationSet,
    String syncStatus,
    String health,
    LabelSelector labels) {

  public static final ApplicationFilter ALL =
      new ApplicationFilter(null, null, null, null, null, LabelSelector.EVERYTHING);

  public ApplicationFilter {
    labels = labels == null ? LabelSelector.EVERYTHING : labels;
  }

  public boolean matches(ApplicationView v) {
    return is(project, v.project())
        && is(cluster, v.cluster())
        && is(applicationSet, v.applicationSet())
        && (empty(syncStatus) || syncStatus.equalsIgnoreCase(v.syncStatus()))
        && (empty(health) || health.equalsIgnoreCase(v.health()))
        && labels.matches(v.labels());
  }

  private static boolean is(String wanted, String actual) {
    return empty(wanted) || wanted.equals(actual);
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
