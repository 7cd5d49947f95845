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
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every object the agent manages (one informer per kind, selected by the {@value
 * Tracking#MANAGED_BY_LABEL} label) and compares each change with the owning Application's desired
 * state on the fields we set, {@code ignoreDifferences} excluded. What the drift report records is
 * a state kept by {@link DriftRecorder}: an entry opens (reported at once) when an object is first
 * seen different and closes (reported again) when it is equal again, whoever made it so. Under
 * {@code selfHeal} an object that was applied from the current desired state and drifted since is
 * put back alone by the {@link ObjectHealer} (one object per heal, on a bounded pool, so that one
 * hung object never delays another); an object still to be synced (a newer commit, a later wave) is
 * left to a reconcile of its whole Application, asked for here. Heals never race a sync into a
 * wrong write: both write guarded by the resourceVersion they read.
 *
 * <p>Event-driven, no polling: a heal is requested as soon as the watch delivers the change.
 * Informers are added as the reconciler renders new kinds, and each is restarted with a fresh list
 * every {@link SelfHealSettings#watchResync()}, so that a stalled watch cannot hide drift for long.
 * While the reconciler is syncing an Application, its objects are left to the sync.
 */
public final class DriftWatcher implements LiveObjectCache, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DriftWatcher.class);

  private final ApplicationReconciler reconciler;
  private final DriftRecorder recorder;
  private final Clock clock;
  private final Consumer<String> reconcileRequests;
  private final ManagedInformers watches;

  /** Objects waiting for the reconcile that heals them: application -> objects. */
  private final Map<String, Set<ObjectKey>> pending = new ConcurrentHashMap<>();

  /**
   * Objects whose heal did not converge (the server keeps a value different from Git, e.g. one it
   * normalises): the diff they were stuck on. Healing the same diff again would only loop.
   */
  private final Map<ObjectKey, List<String>> stuck = new ConcurrentHashMap<>();

  private final SelfHealSettings settings;
  private final ObjectHealer healer;

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
    this(reconciler, listener, reconcileRequests, clock, SelfHealSettings.DEFAULTS);
  }

  public DriftWatcher(
      ApplicationReconciler reconciler,
      DriftListener listener,
      Consumer<String> reconcileRequests,
      Clock clock,
      SelfHealSettings settings) {
    this.reconciler = reconciler;
    this.reconcileRequests = reconcileRequests;
    this.clock = clock;
    this.settings = settings;
    this.healer = new ObjectHealer(reconciler, this, settings, clock, new HealResults());
    this.watches = new ManagedInformers(reconciler, settings.watchResync(), Handler::new);
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
    reconciler.managedTypes().forEach(watches::watch);
    reconciler.addDesiredStateListener(
        (app, state) ->
            state.ifPresent(
                s -> {
                  recorder.reconcileStarted(app);
                  s.objects().keySet().forEach(k -> watches.watch(k.type()));
                }));
    reconciler.addReconcileListener(this::reconciled);
    reconciler.useLiveCache(this);
    watches.startResync();
    return this;
  }

  @Override
  public boolean caches(ObjectType type) {
    return watches.caches(type);
  }

  @Override
  public ObjectNode get(ObjectKey key) {
    return watches.get(key);
  }

  @Override
  public List<ObjectNode> listByApp(ObjectType type, String appLabelValue) {
    return watches.listByApp(type, appLabelValue);
  }

  /** The kinds currently watched. */
  public List<ObjectType> watchedTypes() {
    return watches.watchedTypes();
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
      requestHeal(target, live);
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
      requestHeal(target, live);
    } else {
      reconcileRequests.accept(target.app().name());
    }
  }

  /**
   * Self-heal: remembers what to heal, and heals the object alone when it was applied from the
   * current desired state, or else asks for a reconcile of the whole Application.
   */
  private void requestHeal(Target target, ObjectNode live) {
    pending
        .computeIfAbsent(target.app().name(), k -> ConcurrentHashMap.newKeySet())
        .add(target.key());
    if (ObjectHealer.healsAlone(target.desired(), live)) {
      healer.heal(target.app().name(), target.key());
    } else {
      reconcileRequests.accept(target.app().name());
    }
  }

  /** Objects whose single-object heal failed and waits for its next try (tests, status). */
  public Set<ObjectKey> healsRetrying() {
    return healer.retrying();
  }

  /** What a single-object heal found: its entry closes as healed by self-heal, or stays open. */
  private final class HealResults implements ObjectHealer.Results {
    @Override
    public void healed(String application, ObjectKey key, Instant at) {
      stuck.remove(key);
      forgetPending(application, key);
      if (!closed) {
        recorder.healedAlone(application, key, at);
      }
    }

    @Override
    public void notConverged(
        String application, ObjectKey key, List<ThreeWayMerge.Operation> left) {
      stuck.put(key, signature(left));
      LOG.warn(
          "self-heal of {} does not converge: the server keeps {}; not retrying this diff",
          key,
          signature(left));
      forgetPending(application, key);
    }

    @Override
    public void handOver(String application) {
      reconcileRequests.accept(application);
    }
  }

  private void forgetPending(String application, ObjectKey key) {
    Set<ObjectKey> keys = pending.get(application);
    if (keys != null) {
      keys.remove(key);
    }
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
    ManagedInformers.withType(type, live);
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
    healer.close();
    reconciler.useLiveCache(null);
    watches.close();
    pending.clear();
  }
}
