package dev.flotilla.agent.reconcile.drift;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.DesiredState;
import dev.flotilla.agent.reconcile.LiveObjectCache;
import dev.flotilla.agent.reconcile.ReconcileResult;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ObjectType;
import dev.flotilla.agent.reconcile.apply.ThreeWayMerge;
import dev.flotilla.agent.reconcile.apply.Tracking;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every object the agent manages (one informer per kind, selected by the {@value
 * Tracking#MANAGED_BY_LABEL} label) and compares each change with the owning Application's desired
 * state on the fields we set, {@code ignoreDifferences} excluded. What the drift report records is
 * a state kept by {@link DriftRecorder}: an entry opens (reported at once) when an object is first
 * seen different and closes (reported again) when it is equal again, whoever made it so. Under
 * {@code selfHeal} the watcher writes nothing itself: it asks for a reconcile of the whole
 * Application (the reconcile queue serialises per Application, so a heal never races a sync, and
 * the sync applies each object in its own mode: {@code Replace=true}, {@code
 * ServerSideApply=true}).
 *
 * <p>Event-driven, no polling: a heal is requested as soon as the watch delivers the change.
 * Informers are added as the reconciler renders new kinds. While the reconciler is syncing an
 * Application, its objects are left to the sync.
 */
public final class DriftWatcher implements LiveObjectCache, AutoCloseable {

  private static final String APP_INDEX = "flotilla-app";

  private static final Logger LOG = LoggerFactory.getLogger(DriftWatcher.class);

  private final KubernetesClient client;
  private final ApplicationReconciler reconciler;
  private final DriftRecorder recorder;
  private final Clock clock;
  private final Consumer<String> reconcileRequests;
  private final Map<ObjectType, SharedIndexInformer<GenericKubernetesResource>> informers =
      new ConcurrentHashMap<>();

  /** Objects waiting for the reconcile that heals them: application -> objects. */
  private final Map<String, Set<ObjectKey>> pending = new ConcurrentHashMap<>();

  /**
   * Objects whose heal did not converge (the server keeps a value different from Git, e.g. one it
   * normalises): the diff they were stuck on. Healing the same diff again would only loop.
   */
  private final Map<ObjectKey, List<String>> stuck = new ConcurrentHashMap<>();

  private volatile boolean closed;

  /**
   * @param reconcileRequests asks for a reconcile of a whole Application (the agent's reconcile
   *     queue, which applies or only compares as the sync policy says): to heal under selfHeal, to
   *     show the change in the status otherwise; called from the watch threads, so it must not
   *     block
   */
  public DriftWatcher(
      ApplicationReconciler reconciler,
      DriftListener listener,
      Consumer<String> reconcileRequests) {
    this(reconciler, listener, reconcileRequests, Clock.systemUTC());
  }

  public DriftWatcher(
      ApplicationReconciler reconciler,
      DriftListener listener,
      Consumer<String> reconcileRequests,
      Clock clock) {
    this.client = reconciler.client();
    this.reconciler = reconciler;
    this.reconcileRequests = reconcileRequests;
    this.clock = clock;
    this.recorder =
        new DriftRecorder(
            reconciler,
            drift -> emit(listener, drift),
            clock,
            (app, key) -> pending.getOrDefault(app, Set.of()).contains(key));
  }

  /**
   * Starts watching: from now on every Application the reconciler renders is watched. Call once,
   * before the first reconcile (or it catches up at the next one).
   */
  public DriftWatcher start() {
    reconciler.managedTypes().forEach(this::watch);
    reconciler.addDesiredStateListener(
        (app, state) ->
            state.ifPresent(
                s -> {
                  recorder.reconcileStarted(app);
                  s.objects().keySet().forEach(k -> watch(k.type()));
                }));
    reconciler.addReconcileListener(this::reconciled);
    reconciler.useLiveCache(this);
    return this;
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

  private static ObjectNode withType(ObjectType type, ObjectNode obj) {
    if (!obj.has("apiVersion")) {
      obj.put("apiVersion", type.apiVersion());
    }
    if (!obj.has("kind")) {
      obj.put("kind", type.kind());
    }
    return obj;
  }

  /** The kinds currently watched. */
  public List<ObjectType> watchedTypes() {
    return List.copyOf(informers.keySet());
  }

  private void watch(ObjectType type) {
    if (closed || informers.containsKey(type)) {
      return;
    }
    synchronized (informers) {
      if (informers.containsKey(type)) {
        return;
      }
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
      informer.addEventHandler(new Handler(type));
      try {
        informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        informers.put(type, informer);
      } catch (Exception e) {
        // A kind the cluster does not serve (or we may not watch): reads go to the API instead.
        informer.close();
        LOG.warn("cannot watch {}: {}", type, e.getMessage());
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private final class Handler implements ResourceEventHandler<GenericKubernetesResource> {
    private final ObjectType type;

    Handler(ObjectType type) {
      this.type = type;
    }

    @Override
    public void onAdd(GenericKubernetesResource obj) {
      changed(type, obj);
    }

    @Override
    public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
      changed(type, newObj);
    }

    @Override
    public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
      deleted(type, obj);
    }
  }

  private void changed(ObjectType type, GenericKubernetesResource resource) {
    Instant detected = clock.instant();
    ObjectNode live = reconciler.applier().toJson(resource);
    Target target = target(type, live);
    if (target == null) {
      return;
    }
    String app = target.app().name();
    List<ThreeWayMerge.Operation> ops =
        ApplicationReconciler.differences(target.app(), target.desired(), live);
    if (ops.isEmpty()) {
      stuck.remove(target.key());
      if (recorder.observedEqual(app, target.key(), detected)) {
        reconcileRequests.accept(app); // a comparison, so that the status shows it Synced again
      }
      return;
    }
    if (reconciler.isSyncing(app)) {
      return; // half-way through a sync is no state to judge: the end of the sync is
    }
    boolean news =
        recorder.observedDifferent(
            target.app(), target.key(), target.desired(), live, ops, detected);
    if (signature(ops).equals(stuck.get(target.key()))) {
      return; // already reported as not converging; a new desired state or edit clears this
    }
    if (target.app().syncPolicy().selfHeal()) {
      requestHeal(target);
    } else if (news) {
      reconcileRequests.accept(app); // a comparison, so that the status shows it OutOfSync
    }
  }

  private void deleted(ObjectType type, GenericKubernetesResource resource) {
    Instant detected = clock.instant();
    ObjectNode live = reconciler.applier().toJson(resource);
    Target target = target(type, live);
    if (target == null || reconciler.isSyncing(target.app().name())) {
      return;
    }
    recorder.observedDeleted(target.app().name(), target.key(), target.desired(), detected);
    if (target.app().syncPolicy().selfHeal()) {
      requestHeal(target);
    } else {
      reconcileRequests.accept(target.app().name());
    }
  }

  /** Self-heal: remembers what to heal and asks for a reconcile of the whole Application. */
  private void requestHeal(Target target) {
    pending
        .computeIfAbsent(target.app().name(), k -> ConcurrentHashMap.newKeySet())
        .add(target.key());
    reconcileRequests.accept(target.app().name());
  }

  /**
   * The next reconcile of {@code application} is a manual sync ({@code app sync}): what it puts
   * right is recorded as healed by a sync. Call before that reconcile.
   */
  public void manualSync(String application) {
    recorder.manualSync(application);
  }

  /**
   * The end of a reconcile of {@code application} (on its worker): the recorder judges every object
   * it lists. A sync still waiting for a wave keeps the heals pending until it finishes.
   */
  private void reconciled(String application, boolean applied, ReconcileResult result) {
    if (closed) {
      return;
    }
    Set<ObjectKey> healing =
        result.inProgress()
            ? pending.getOrDefault(application, Set.of())
            : Optional.ofNullable(pending.remove(application)).orElse(Set.of());
    recorder
        .reconciled(application, applied, result, healing)
        .forEach(
            (key, left) -> {
              // The sync wrote it and the server keeps something else (e.g. a value it normalises).
              stuck.put(key, signature(left));
              LOG.warn(
                  "self-heal of {} does not converge: the server keeps {}; not retrying this diff",
                  key,
                  signature(left));
            });
  }

  /**
   * The reconcile asked for could not reach the reconciler (e.g. Git unreachable): the heal it was
   * to do is dropped; the drift stays open in the report until something puts it right.
   */
  public void reconcileAbandoned(String application) {
    pending.remove(application);
  }

  /** Every open drift entry now (tests, diagnostics). */
  public List<Drift> openDrift() {
    return recorder.ledger().openEntries();
  }

  private static List<String> signature(List<ThreeWayMerge.Operation> ops) {
    return ops.stream().map(o -> o.op() + " " + o.path() + " " + o.value()).toList();
  }

  private record Target(AppSpec app, ObjectKey key, ObjectNode desired) {}

  /** The Application and desired object a live object belongs to, or null when it is not ours. */
  private Target target(ObjectType type, ObjectNode live) {
    if (closed) {
      return null;
    }
    withType(type, live);
    String app =
        Tracking.owner(
            live.path("metadata").path("annotations").path(Tracking.TRACKING_ID).asText(null));
    if (app == null) {
      return null;
    }
    Optional<DesiredState> state = reconciler.desiredState(app);
    if (state.isEmpty()) {
      return null;
    }
    ObjectKey key = ObjectKey.of(live);
    ObjectNode desired = state.get().objects().get(key);
    return desired == null ? null : new Target(state.get().app(), key, desired);
  }

  private static void emit(DriftListener listener, Drift drift) {
    try {
      listener.onDrift(drift);
    } catch (RuntimeException e) {
      LOG.warn("drift listener failed on {}: {}", drift.object(), e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    reconciler.useLiveCache(null);
    informers.values().forEach(SharedIndexInformer::close);
    informers.clear();
    pending.clear();
  }
}
