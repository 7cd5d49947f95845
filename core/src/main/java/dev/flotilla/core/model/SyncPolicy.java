package dev.flotilla.core.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Argo CD's {@code syncPolicy}.
 *
 * @param automated null when absent (manual sync)
 * @param syncOptions {@code Key=Value} texts as written
 * @param retry null when absent
 * @param unknown fields the model does not know (managedNamespaceMetadata...), kept as they are
 */
public record SyncPolicy(
    Automated automated, List<String> syncOptions, Retry retry, ObjectNode unknown) {

  public SyncPolicy {
    syncOptions = Nodes.list(syncOptions);
    unknown = Nodes.copy(unknown);
  }

  /** Whether automated sync is on: {@code automated} present and not {@code enabled: false}. */
  public boolean isAutomated() {
    return automated != null && automated.isEnabled();
  }
}
