package dev.flotilla.agent.reconcile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Argo CD sync options ({@code Key=Value}), from {@code syncPolicy.syncOptions} or from an object's
 * {@code argocd.argoproj.io/sync-options} annotation (comma separated there).
 */
public record SyncOptions(Map<String, String> values) {

  public static final SyncOptions NONE = new SyncOptions(Map.of());

  /** The per-object annotation Argo CD reads; we honour it so existing manifests keep working. */
  public static final String ANNOTATION = "argocd.argoproj.io/sync-options";

  public SyncOptions {
    values = Map.copyOf(values);
  }

  public static SyncOptions parse(List<String> options) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String option : options) {
      int eq = option.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "spec.syncPolicy.syncOptions entry '" + option + "' is not of the form Key=Value");
      }
      m.put(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
    }
    return new SyncOptions(m);
  }

  /** Parses the annotation value; malformed entries are ignored as Argo CD does. */
  public static SyncOptions fromAnnotation(String annotation) {
    if (annotation == null || annotation.isBlank()) {
      return NONE;
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String option : annotation.split(",")) {
      int eq = option.indexOf('=');
      if (eq > 0) {
        m.put(option.substring(0, eq).trim(), option.substring(eq + 1).trim());
      }
    }
    return new SyncOptions(m);
  }

  public boolean isTrue(String key) {
    return "true".equalsIgnoreCase(values.get(key));
  }

  public boolean isFalse(String key) {
    return "false".equalsIgnoreCase(values.get(key));
  }

  public boolean createNamespace() {
    return isTrue("CreateNamespace");
  }

  public boolean pruneLast() {
    return isTrue("PruneLast");
  }

  public boolean replace() {
    return isTrue("Replace");
  }

  public boolean serverSideApply() {
    return isTrue("ServerSideApply");
  }
}
