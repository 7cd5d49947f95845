package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ObjectType;
import dev.flotilla.agent.reconcile.apply.OwnWrites;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.agent.reconcile.plan.HookAnnotations;
import dev.flotilla.agent.reconcile.plan.SyncPlanner;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Reads what the planner decides from: live objects by key and every object an Application owns,
 * from the drift watcher's cache where it has them, else from the API server.
 */
final class ClusterView {

  static final List<ObjectType> WELL_KNOWN_TYPES =
      List.of(
          ObjectType.of("v1", "ConfigMap"),
          ObjectType.of("v1", "Secret"),
          ObjectType.of("v1", "Service"),
          ObjectType.of("v1", "ServiceAccount"),
          ObjectType.of("v1", "PersistentVolumeClaim"),
          ObjectType.of("v1", "Pod"),
          ObjectType.of("v1", "Namespace"),
          ObjectType.of("v1", "ResourceQuota"),
          ObjectType.of("v1", "LimitRange"),
          ObjectType.of("apps/v1", "Deployment"),
          ObjectType.of("apps/v1", "StatefulSet"),
          ObjectType.of("apps/v1", "DaemonSet"),
          ObjectType.of("batch/v1", "Job"),
          ObjectType.of("batch/v1", "CronJob"),
          ObjectType.of("networking.k8s.io/v1", "Ingress"),
          ObjectType.of("networking.k8s.io/v1", "NetworkPolicy"),
          ObjectType.of("rbac.authorization.k8s.io/v1", "Role"),
          ObjectType.of("rbac.authorization.k8s.io/v1", "RoleBinding"),
          ObjectType.of("rbac.authorization.k8s.io/v1", "ClusterRole"),
          ObjectType.of("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
          ObjectType.of("autoscaling/v2", "HorizontalPodAutoscaler"),
          ObjectType.of("policy/v1", "PodDisruptionBudget"));

  private final ObjectApplier applier;
  private final Supplier<List<ObjectType>> discovered;
  private final Map<String, Set<ObjectType>> typesByApp = new ConcurrentHashMap<>();
  private volatile LiveObjectCache cache;

  ClusterView(ObjectApplier applier) {
    this.applier = applier;
    this.discovered =
        memoize(
            () ->
                applier
                    .types()
                    .discoverTypesHolding(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY_VALUE));
  }

  void useLiveCache(LiveObjectCache cache) {
    this.cache = cache;
  }

  /** Remembers the kinds {@code state} renders, so that they are searched when pruning later. */
  void rememberTypes(DesiredState state) {
    typesByApp
        .computeIfAbsent(state.app().name(), k -> ConcurrentHashMap.newKeySet())
        .addAll(state.objects().keySet().stream().map(ObjectKey::type).toList());
  }

  /** The Application is gone from this agent: its kinds and its own writes are forgotten. */
  void forgetTypes(String application) {
    typesByApp.remove(application);
    applier.ownWrites().forgetApplication(application);
  }

  Map<ObjectKey, ObjectNode> readLive(Collection<ObjectKey> keys) {
    return readLive(keys, true);
  }

  /** With {@code cached} false, straight from the API server (what a person asks to see now). */
  Map<ObjectKey, ObjectNode> readLive(Collection<ObjectKey> keys, boolean cached) {
    return read(keys, cached, (key, obj) -> true, (key, obj) -> null);
  }

  /**
   * What {@code state} is compared with: from the cache where it is surely current, else from the
   * API server. The watch delivers the agent's own writes a moment late (long under load), and a
   * result computed from a cache that has not seen the last sync yet reported the objects it had
   * just created as Missing (or patched as OutOfSync) with nothing to reconcile again when the
   * event came: it is equal to Git, so no drift. So a cache miss, and a cached object whose
   * last-applied record is not Git's (written before the last sync, or not by us), are read from
   * the API server. Objects equal to Git, the steady state, cost no call; nor does one our own last
   * write vouches for ({@link OwnWrites#current}): cached at the version that write produced (a
   * commit changed it since, so Git differs), or still at the version it replaced (the watch has
   * not delivered it yet), when what the write returned stands for it.
   */
  Map<ObjectKey, ObjectNode> readLive(DesiredState state) {
    OwnWrites own = applier.ownWrites();
    own.retain(state.app().name(), state.objects().keySet());
    return read(
        state.objects().keySet(),
        true,
        (key, obj) -> lastApplied(obj).equals(lastApplied(state.objects().get(key))),
        own::current);
  }

  /**
   * Every live object tracked as {@code state}'s Application's; one the cache lists that is not
   * desired (to prune) is read from the API server, as the last sync may have pruned it already.
   */
  List<ObjectNode> listOwned(DesiredState state) {
    String app = state.app().name();
    LiveObjectCache c = cache;
    List<ObjectNode> owned = new ArrayList<>();
    for (ObjectNode obj : listOwned(app)) {
      ObjectKey key = ObjectKey.of(obj);
      if (c == null
          || !c.caches(key.type())
          || state.objects().containsKey(key)
          || HookAnnotations.isHook(obj)
          || state.skips(obj)) {
        owned.add(obj);
        continue;
      }
      ObjectNode fresh = applier.get(key);
      if (fresh != null && app.equals(SyncPlanner.ownerOf(fresh))) {
        owned.add(fresh);
      }
    }
    return owned;
  }

  /**
   * @param current whether a cached object is surely current
   * @param vouched else the object to use instead of a read (null: read the API server)
   */
  private Map<ObjectKey, ObjectNode> read(
      Collection<ObjectKey> keys,
      boolean cached,
      BiPredicate<ObjectKey, ObjectNode> current,
      BiFunction<ObjectKey, ObjectNode, ObjectNode> vouched) {
    Map<ObjectKey, ObjectNode> live = new HashMap<>();
    LiveObjectCache c = cached ? cache : null;
    for (ObjectKey key : keys) {
      boolean fromCache = c != null && c.caches(key.type());
      ObjectNode obj = fromCache ? c.get(key) : null;
      if (obj == null || !current.test(key, obj)) {
        ObjectNode own = fromCache ? vouched.apply(key, obj) : null;
        // a cache miss may be a create the watch has not delivered yet
        obj = own != null ? own : applier.get(key);
      }
      if (obj != null) {
        live.put(key, obj);
      }
    }
    return live;
  }

  private static String lastApplied(ObjectNode obj) {
    return obj.path("metadata").path("annotations").path(Tracking.LAST_APPLIED).asText("");
  }

  /** Objects this Application owns that are not desired (any more), hook objects excepted. */
  List<ObjectNode> orphans(DesiredState state) {
    Set<ObjectKey> wanted = state.objects().keySet();
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode obj : listOwned(state)) {
      if (!wanted.contains(ObjectKey.of(obj))
          && !HookAnnotations.isHook(obj)
          && !state.skips(obj)) {
        out.add(obj);
      }
    }
    return out;
  }

  /** See {@link ApplicationReconciler#managedTypes()}. */
  Set<ObjectType> managedTypes() {
    Set<ObjectType> types = new LinkedHashSet<>(WELL_KNOWN_TYPES);
    types.addAll(discovered.get());
    typesByApp.values().forEach(types::addAll);
    return types;
  }

  /** Every live object tracked as {@code app}'s. */
  List<ObjectNode> listOwned(String app) {
    return listOwned(app, true);
  }

  /** With {@code cached} false, straight from the API server. */
  List<ObjectNode> listOwned(String app, boolean cached) {
    Set<ObjectType> types = new LinkedHashSet<>(WELL_KNOWN_TYPES);
    types.addAll(discovered.get());
    types.addAll(typesByApp.getOrDefault(app, Set.of()));
    String label = Tracking.appLabelValue(app);
    List<ObjectNode> owned = new ArrayList<>();
    LiveObjectCache c = cached ? cache : null;
    for (ObjectType type : types) {
      List<ObjectNode> found;
      try {
        found =
            c != null && c.caches(type)
                ? c.listByApp(type, label)
                : applier.list(type, Tracking.APP_LABEL, label);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue; // the kind is not served by this cluster
        }
        throw e;
      }
      boolean fromCache = c != null && c.caches(type);
      for (ObjectNode obj : found) {
        if (app.equals(SyncPlanner.ownerOf(obj))) {
          // A cached object our last write replaced is shown as that write left it (the resource
          // tree sent right after a sync would otherwise show the version before it).
          ObjectNode own = fromCache ? applier.ownWrites().current(ObjectKey.of(obj), obj) : null;
          owned.add(own != null ? own : obj);
        }
      }
    }
    return owned;
  }

  private static <T> Supplier<T> memoize(Supplier<T> supplier) {
    return new Supplier<>() {
      private volatile T value;

      @Override
      public T get() {
        T v = value;
        if (v == null) {
          synchronized (this) {
            if (value == null) {
              value = supplier.get();
            }
            v = value;
          }
        }
        return v;
      }
    };
  }
}
