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
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every object the agent manages (one informer per kind, selected by the {@value
 * Tracking#MANAGED_BY_LABEL} label) and compares each change with the owning Application's desired
 * state on the fields we set, {@code ignoreDifferences} excluded. Without {@code selfHeal} a {@link
 * Drift} goes to the listener at once. Under {@code selfHeal} an object that was applied from the
 * current desired state and drifted since is put back alone by the {@link ObjectHealer} (one object
 * per heal, on a bounded pool, so that one hung object never delays another); an object still to be
 * synced (a newer commit, a later wave) is left to a reconcile of its whole Application, asked for
 * here. Either way the drift is reported with whether and when it was reverted (a deleted object
 * recreated). Heals never race a sync into a wrong write: both write guarded by the resourceVersion
 * they read.
 *
 * <p>Event-driven, no polling: a heal is requested as soon as the watch delivers the change.
 * Informers are added as the reconciler renders new kinds, and each is restarted with a fresh list
 * every {@link SelfHealSettings#watchResync()}, so that a stalled watch cannot hide drift for long.
 * While the reconciler is syncing an Application, its objects are left to the sync.
 */
public final class DriftWatcher implements LiveObjectCache, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DriftWatcher.class);

  private final ApplicationReconciler reconciler;
  private final DriftListener listener;
  private final Clock clock;
  private final Consumer<String> reconcileRequests;
  private final ManagedInformers watches;

  /** Drift waiting for the reconcile that heals it: application -> object -> what was seen. */
  private final Map<String, Map<ObjectKey, PendingHeal>> pending = new ConcurrentHashMap<>();

  private record PendingHeal(
      ObjectKey key, boolean deleted, List<FieldDiff> fields, Instant detectedAt) {}

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
   *     queue); called from the watch threads, so it must not block
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
    this.listener = listener;
    this.reconcileRequests = reconcileRequests;
    this.clock = clock;
    this.settings = settings;
    this.healer = new ObjectHealer(reconciler, this, settings, clock, new HealResults());
    this.watches = new ManagedInformers(reconciler, settings.watchResync(), Handler::new);
  }

  /**
   * Starts watching: from now on every Application the reconciler renders is watched. Call once,
   * before the first reconcile (or it catches up at the next one).
   */
  public DriftWatcher start() {
    reconciler.managedTypes().forEach(watches::watch);
    reconciler.addDesiredStateListener(
        (app, state) ->
            state.ifPresent(s -> s.objects().keySet().forEach(k -> watches.watch(k.type()))));
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
    List<ThreeWayMerge.Operation> ops =
        ApplicationReconciler.differences(target.app(), target.desired(), live);
    if (ops.isEmpty()) {
      stuck.remove(target.key());
      return;
    }
    List<FieldDiff> fields = DriftFields.of(target.key(), ops, live);
    if (signature(ops).equals(stuck.get(target.key()))) {
      return; // already reported as not converging; a new desired state or edit clears this
    }
    if (!target.app().syncPolicy().selfHeal()) {
      emit(new Drift(target.app().name(), target.key(), false, fields, detected, Optional.empty()));
      return;
    }
    requestHeal(target, live, fields, detected, false);
  }

  private void deleted(ObjectType type, GenericKubernetesResource resource) {
    Instant detected = clock.instant();
    ObjectNode live = reconciler.applier().toJson(resource);
    Target target = target(type, live);
    if (target == null) {
      return;
    }
    List<FieldDiff> fields =
        List.of(new FieldDiff("", DriftFields.mask(target.key(), "", target.desired()), null));
    if (!target.app().syncPolicy().selfHeal()) {
      emit(new Drift(target.app().name(), target.key(), true, fields, detected, Optional.empty()));
      return;
    }
    requestHeal(target, live, fields, detected, true);
  }

  /**
   * Self-heal: remembers the drift (the first sighting; later edits of the same object before the
   * heal are the same drift) and heals the object alone when it was applied from the current
   * desired state, or else asks for a reconcile of the whole Application.
   */
  private void requestHeal(
      Target target, ObjectNode live, List<FieldDiff> fields, Instant detected, boolean deleted) {
    pending
        .computeIfAbsent(target.app().name(), k -> new ConcurrentHashMap<>())
        .putIfAbsent(target.key(), new PendingHeal(target.key(), deleted, fields, detected));
    if (ObjectHealer.healsAlone(target.desired(), live)) {
      healer.heal(target.app().name(), target.key());
    } else {
      reconcileRequests.accept(target.app().name());
    }
  }

  /** Objects whose single-object heal failed and waits for its next try (tests, status). */
  public java.util.Set<ObjectKey> healsRetrying() {
    return healer.retrying();
  }

  /** What a single-object heal found; reported as the end of a reconcile reports it. */
  private final class HealResults implements ObjectHealer.Results {
    @Override
    public void healed(String application, ObjectKey key, Instant at) {
      stuck.remove(key);
      PendingHeal heal = takePending(application, key);
      if (heal != null && !closed) {
        emit(
            new Drift(
                application,
                key,
                heal.deleted(),
                heal.fields(),
                heal.detectedAt(),
                Optional.of(at)));
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
      PendingHeal heal = takePending(application, key);
      if (heal != null && !closed) {
        emit(
            new Drift(
                application,
                key,
                heal.deleted(),
                heal.fields(),
                heal.detectedAt(),
                Optional.empty()));
      }
    }

    @Override
    public void handOver(String application) {
      reconcileRequests.accept(application);
    }
  }

  private PendingHeal takePending(String application, ObjectKey key) {
    Map<ObjectKey, PendingHeal> heals = pending.get(application);
    return heals == null ? null : heals.remove(key);
  }

  /**
   * The end of a reconcile of {@code application} (on its worker): reports the drift it was asked
   * to heal, healed when the object now equals the desired state. A sync still waiting for a wave
   * keeps the drift pending until it finishes.
   */
  private void reconciled(String application, boolean applied, ReconcileResult result) {
    if (closed || result.inProgress()) {
      return;
    }
    Map<ObjectKey, PendingHeal> heals = pending.remove(application);
    if (heals == null) {
      return;
    }
    Optional<DesiredState> state = reconciler.desiredState(application);
    for (PendingHeal heal : heals.values()) {
      emit(
          new Drift(
              application,
              heal.key(),
              heal.deleted(),
              heal.fields(),
              heal.detectedAt(),
              applied ? healedAt(state, heal.key(), result.failed()) : Optional.empty()));
    }
  }

  /**
   * The reconcile asked for could not reach the reconciler (e.g. Git unreachable): the drift it was
   * to heal is reported now, not healed, rather than held until some later reconcile.
   */
  public void reconcileAbandoned(String application) {
    Map<ObjectKey, PendingHeal> heals = pending.remove(application);
    if (heals == null || closed) {
      return;
    }
    for (PendingHeal heal : heals.values()) {
      emit(
          new Drift(
              application,
              heal.key(),
              heal.deleted(),
              heal.fields(),
              heal.detectedAt(),
              Optional.empty()));
    }
  }

  /** When the sync that just ended reverted {@code key}: now, unless it still differs. */
  private Optional<Instant> healedAt(Optional<DesiredState> state, ObjectKey key, boolean failed) {
    ObjectNode desired = state.map(s -> s.objects().get(key)).orElse(null);
    if (desired == null) {
      return Optional.empty();
    }
    try {
      ObjectNode live = reconciler.applier().get(key);
      if (live == null) {
        return Optional.empty();
      }
      List<ThreeWayMerge.Operation> left =
          ApplicationReconciler.differences(state.get().app(), desired, live);
      if (left.isEmpty()) {
        return Optional.of(clock.instant());
      }
      if (!failed) {
        // The sync wrote it and the server keeps something else (e.g. a value it normalises).
        stuck.put(key, signature(left));
        LOG.warn(
            "self-heal of {} does not converge: the server keeps {}; not retrying this diff",
            key,
            signature(left));
      }
    } catch (KubernetesClientException e) {
      LOG.warn("could not read {} after self-heal: {}", key, e.getMessage());
    }
    return Optional.empty();
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
    if (app == null || reconciler.isSyncing(app)) {
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

  private void emit(Drift drift) {
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
