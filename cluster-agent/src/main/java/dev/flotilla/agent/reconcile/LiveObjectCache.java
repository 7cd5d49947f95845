package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ObjectType;
import java.util.List;

/**
 * A watch-fed view of the objects the agent manages, so that a resync of unchanged Applications
 * costs no API calls (Argo CD's cluster cache plays this role). Reads may be a moment stale: every
 * write is guarded by a resourceVersion test or create-conflict and re-read on failure, so
 * staleness costs a retry, never a wrong write.
 */
public interface LiveObjectCache {

  /** True when objects of {@code type} carrying the managed-by label are cached and synced. */
  boolean caches(ObjectType type);

  /**
   * The cached object, or null when the cache has none. Only objects carrying the managed-by label
   * are cached: a missing answer may be an unmanaged object, which create-then-conflict handles.
   */
  ObjectNode get(ObjectKey key);

  /** Cached objects of {@code type} whose app label has {@code appLabelValue}. */
  List<ObjectNode> listByApp(ObjectType type, String appLabelValue);
}
