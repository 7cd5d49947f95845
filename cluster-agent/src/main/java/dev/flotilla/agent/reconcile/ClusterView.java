package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ObjectType;
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

  void forgetTypes(String application) {
    typesByApp.remove(application);
  }

  Map<ObjectKey, ObjectNode> readLive(Collection<ObjectKey> keys) {
    return readLive(keys, true);
  }

  /** With {@code cached} false, straight from the API server (what a person asks to see now). */
  Map<ObjectKey, ObjectNode> readLive(Collection<ObjectKey> keys, boolean cached) {
    Map<ObjectKey, ObjectNode> live = new HashMap<>();
    LiveObjectCache c = cached ? cache : null;
    for (ObjectKey key : keys) {
      ObjectNode obj = c != null && c.caches(key.type()) ? c.get(key) : applier.get(key);
      if (obj != null) {
        live.put(key, obj);
      }
    }
    return live;
  }

  /** Objects this Application owns that are not desired (any more), hook objects excepted. */
  List<ObjectNode> orphans(DesiredState state) {
    Set<ObjectKey> wanted = state.objects().keySet();
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode obj : listOwned(state.app().name())) {
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
      for (ObjectNode obj : found) {
        if (app.equals(SyncPlanner.ownerOf(obj))) {
          owned.add(obj);
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
