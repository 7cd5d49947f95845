package dev.flotilla.controlplane.appofapps.plan;

import java.util.Optional;

/**
 * The Argo CD objects an App of Apps parent hands to the control plane instead of a cluster, in the
 * order they are created (a project before what names it); pruning goes the other way.
 */
public enum ChildKind {
  APP_PROJECT("AppProject"),
  APPLICATION_SET("ApplicationSet"),
  APPLICATION("Application");

  /** Argo CD's API group: {@code argoproj.io}. */
  public static final String GROUP = "argoproj.io";

  private final String kind;

  ChildKind(String kind) {
    this.kind = kind;
  }

  /** The Kubernetes kind, e.g. {@code Application}. */
  public String kind() {
    return kind;
  }

  /**
   * The child kind of an object with this apiVersion and kind, or empty when the object is not one
   * (any version of group {@code argoproj.io} counts, so that a v1beta1 is not silently applied to
   * a cluster).
   */
  public static Optional<ChildKind> of(String apiVersion, String kind) {
    if (apiVersion == null || !apiVersion.startsWith(GROUP + "/")) {
      return Optional.empty();
    }
    for (ChildKind k : values()) {
      if (k.kind.equals(kind)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** The kind as stored and shown, e.g. {@code Application}. */
  public static ChildKind ofKind(String kind) {
    for (ChildKind k : values()) {
      if (k.kind.equals(kind)) {
        return k;
      }
    }
    throw new IllegalArgumentException("not an App of Apps child kind: " + kind);
  }
}
