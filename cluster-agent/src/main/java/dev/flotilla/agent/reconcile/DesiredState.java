package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one Application wants live, as last rendered: each object exactly as the agent applies it
 * (namespace defaulted, tracking labels and annotations added). Immutable; shared with the drift
 * watcher.
 */
public record DesiredState(AppSpec app, String revision, Map<ObjectKey, ObjectNode> objects) {

  public DesiredState {
    objects = Collections.unmodifiableMap(new LinkedHashMap<>(objects));
  }
}
