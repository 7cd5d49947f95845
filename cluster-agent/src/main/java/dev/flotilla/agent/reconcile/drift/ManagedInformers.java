package dev.flotilla.agent.reconcile.drift;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.LiveObjectCache;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ObjectType;
import dev.flotilla.agent.reconcile.apply.Tracking;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift watcher's informers: one per kind, selected by the {@value Tracking#MANAGED_BY_LABEL}
 * label, indexed by Application, serving as the reconciler's {@link LiveObjectCache}. Each is
 * restarted with a fresh list every {@code resync}, so that a watch whose connection stalled
 * without closing (fabric8 does not notice one) hides changes for at most that long.
 */
final class ManagedInformers implements LiveObjectCache, AutoCloseable {

  private static final String APP_INDEX = "flotilla-app";

  private static final Logger LOG = LoggerFactory.getLogger(ManagedInformers.class);

  private final KubernetesClient client;
  private final ApplicationReconciler reconciler;
  private final Duration resync;
  private final Function<ObjectType, ResourceEventHandler<GenericKubernetesResource>> handlers;
  private final Map<ObjectType, SharedIndexInformer<GenericKubernetesResource>> informers =
      new ConcurrentHashMap<>();
  private final ScheduledExecutorService resyncTimer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "watch-resync");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;

  /**
   * @param handlers the event handler for the informer of each kind
   */
  ManagedInformers(
      ApplicationReconciler reconciler,
      Duration resync,
      Function<ObjectType, ResourceEventHandler<GenericKubernetesResource>> handlers) {
    this.client = reconciler.client();
    this.reconciler = reconciler;
    this.resync = resync;
    this.handlers = handlers;
  }

  void startResync() {
    long every = resync.toMillis();
    resyncTimer.scheduleWithFixedDelay(this::resyncWatches, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean caches(ObjectType type) {
    SharedIndexInformer<GenericKubernetesResource> informer = informers.get(type);
    return informer != null && informer.hasSynced() && informer.isWatching();
  }

  @Override
  public ObjectNode get(ObjectKey key) {
    SharedIndexInformer<GenericKubernetesResource> informer = informers.get(key.type());
    if (informer == null) {
      return null;
    }
    String storeKey = key.namespace().isEmpty() ? key.name() : key.namespace() + "/" + key.name();
    GenericKubernetesResource r = informer.getStore().getByKey(storeKey);
    return r == null ? null : withType(key.type(), reconciler.applier().toJson(r));
  }

  @Override
  public List<ObjectNode> listByApp(ObjectType type, String appLabelValue) {
    SharedIndexInformer<GenericKubernetesResource> informer = informers.get(type);
    if (informer == null) {
      return List.of();
    }
    List<ObjectNode> out = new ArrayList<>();
    for (GenericKubernetesResource r : informer.getIndexer().byIndex(APP_INDEX, appLabelValue)) {
      out.add(withType(type, reconciler.applier().toJson(r)));
    }
    return out;
  }

  static ObjectNode withType(ObjectType type, ObjectNode obj) {
    if (!obj.has("apiVersion")) {
      obj.put("apiVersion", type.apiVersion());
    }
    if (!obj.has("kind")) {
      obj.put("kind", type.kind());
    }
    return obj;
  }

  /** The kinds currently watched. */
  List<ObjectType> watchedTypes() {
    return List.copyOf(informers.keySet());
  }

  void watch(ObjectType type) {
    if (closed || informers.containsKey(type)) {
      return;
    }
    synchronized (informers) {
      if (informers.containsKey(type)) {
        return;
      }
      SharedIndexInformer<GenericKubernetesResource> informer = startInformer(type);
      if (informer != null) {
        informers.put(type, informer);
      }
    }
  }

  /**
   * Restarts every watch with a fresh list: a watch whose connection stalled without closing would
   * otherwise deliver nothing, unnoticed. The fresh list reports every object once more, so drift
   * missed meanwhile is found; the old informer serves reads until the new one has synced.
   */
  private void resyncWatches() {
    for (ObjectType type : List.copyOf(informers.keySet())) {
      if (closed) {
        return;
      }
      SharedIndexInformer<GenericKubernetesResource> fresh = startInformer(type);
      if (fresh == null) {
        continue; // keep the old one; try again at the next resync
      }
      SharedIndexInformer<GenericKubernetesResource> old;
      synchronized (informers) {
        old = closed ? fresh : informers.put(type, fresh);
      }
      if (old != null) {
        old.close();
      }
    }
  }

  /** A started, synced informer of {@code type}, or null when it cannot be watched. */
  private SharedIndexInformer<GenericKubernetesResource> startInformer(ObjectType type) {
    var op = client.genericKubernetesResources(reconciler.applier().types().context(type));
    var selected =
        reconciler.applier().types().namespaced(type)
            ? op.inAnyNamespace().withLabel(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY_VALUE)
            : op.withLabel(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY_VALUE);
    SharedIndexInformer<GenericKubernetesResource> informer = selected.runnableInformer(0);
    informer.addIndexers(
        Map.of(
            APP_INDEX,
            r -> {
              String app =
                  r.getMetadata().getLabels() == null
                      ? null
                      : r.getMetadata().getLabels().get(Tracking.APP_LABEL);
              return app == null ? List.of() : List.of(app);
            }));
    informer.addEventHandler(handlers.apply(type));
    try {
      informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return informer;
    } catch (Exception e) {
      // A kind the cluster does not serve (or we may not watch): reads go to the API instead.
      informer.close();
      LOG.warn("cannot watch {}: {}", type, e.getMessage());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return null;
    }
  }

  @Override
  public void close() {
    closed = true;
    resyncTimer.shutdownNow();
    synchronized (informers) {
      informers.values().forEach(SharedIndexInformer::close);
      informers.clear();
    }
  }
}
