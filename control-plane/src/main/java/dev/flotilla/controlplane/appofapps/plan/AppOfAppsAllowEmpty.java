package dev.flotilla.controlplane.appofapps.plan;

/**
 * The explicit permission a parent needs to delete every child at once: Argo CD's own {@code
 * syncPolicy.automated.allowEmpty: true}, or the annotation ApplicationSets use.
 */
public final class AppOfAppsAllowEmpty {

  /** The same annotation that lets an ApplicationSet's empty generation delete everything. */
  public static final String ANNOTATION = "flotilla.dev/allow-empty-generation";

  private AppOfAppsAllowEmpty() {}
}
