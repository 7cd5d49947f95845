package dev.flotilla.agent.reconcile.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the {@link SyncPlanner} decides from, read by the shell beforehand.
 *
 * @param app the Application: its name (ownership), sync policy and options, ignoreDifferences
 * @param apply true for a sync (automated or manual), false to compare only
 * @param desired the objects as prepared for apply (after render), by key, in render order
 * @param live the live versions of the desired objects that exist, by key
 * @param owned every live object tracked as this Application's (desired or not)
 */
public record SyncRequest(
    AppSpec app,
    boolean apply,
    Map<ObjectKey, ObjectNode> desired,
    Map<ObjectKey, ObjectNode> live,
    List<ObjectNode> owned) {

  public SyncRequest {
    desired = Collections.unmodifiableMap(new LinkedHashMap<>(desired));
    live = Collections.unmodifiableMap(new LinkedHashMap<>(live));
    owned = List.copyOf(owned);
  }
}
