package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ObjectType;
import dev.flotilla.agent.reconcile.apply.ResourceTypes;
import dev.flotilla.agent.reconcile.apply.ThreeWayMerge;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.agent.reconcile.health.HealthAssessor;
import dev.flotilla.agent.reconcile.operation.OperationState;
import dev.flotilla.agent.reconcile.plan.SyncPlan;
import dev.flotilla.agent.reconcile.plan.SyncPlanner;
import dev.flotilla.agent.reconcile.plan.SyncRequest;
import dev.flotilla.agent.reconcile.source.SourceCheckout;
import dev.flotilla.agent.reconcile.source.SourceRenderer;
import dev.flotilla.render.ControlPlaneObjects;
import dev.flotilla.render.ManifestRenderer;
import dev.flotilla.render.RenderException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one cluster look like Git for one Application, as a chain of named steps: render → check
 * against the project → plan ({@link SyncPlanner}, pure) → apply the waves → prune → report. The
 * checkout is the caller's ({@code repoRoot}); the decisions are the planner's; this class reads
 * the cluster, hands the plan to {@link SyncExecutor} and keeps the per-Application state.
 *
 * <p>Every method blocks (Kubernetes and file I/O): call from a worker thread, never an event loop.
 * Different Applications may be reconciled concurrently; one Application must not be reconciled by
 * two threads at once (the caller serialises per Application).
 */
public final class ApplicationReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(ApplicationReconciler.class);

  /**
   * Kinds listed to find what an Application owns when nothing better is known (after a restart).
   */
  public static final List<ObjectType> WELL_KNOWN_TYPES = ClusterView.WELL_KNOWN_TYPES;

  private final KubernetesClient client;
  private final SourceRenderer renderer;
  private final ObjectApplier applier;
  private final HealthAssessor health;
  private final DesiredStatePreparer preparer;
  private final ClusterView cluster;
  private final ResultSummary summary;
  private final SyncExecutor executor;
  private final DestinationNamespaces namespaces;

  private final SyncPhases phases;
  private final Map<String, DesiredState> desired = new ConcurrentHashMap<>();
  private final Set<String> syncing = ConcurrentHashMap.newKeySet();
  private final SyncRetries retries = new SyncRetries();
  private final HealthWaits waits;
  private final SyncOperations operations;
  private final Map<String, AtomicInteger> inReconcile = new ConcurrentHashMap<>();
  private final Map<String, Integer> mostConcurrent = new ConcurrentHashMap<>();
  private final List<DesiredStateListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ReconcileListener> reconcileListeners = new CopyOnWriteArrayList<>();

  public ApplicationReconciler(KubernetesClient client) {
    this(client, ReconcilerOptions.defaults());
  }

  public ApplicationReconciler(KubernetesClient client, ReconcilerOptions options) {
    this(client, options, new ManifestRenderer(options.limits()));
  }

  ApplicationReconciler(
      KubernetesClient client, ReconcilerOptions options, ManifestRenderer renderer) {
    this.client = client;
    this.renderer = new SourceRenderer(renderer);
    this.applier = new ObjectApplier(client, new ResourceTypes(client));
    this.health = new HealthAssessor(options.statuslessWorkloads());
    this.preparer = new DesiredStatePreparer(applier.types());
    this.cluster = new ClusterView(applier);
    this.summary = new ResultSummary(health);
    this.namespaces = new DestinationNamespaces(client);
    this.waits = new HealthWaits(() -> TimeUnit.MILLISECONDS.toNanos(options.clock().millis()));
    this.operations = new SyncOperations(options.clock());
    this.executor =
        new SyncExecutor(applier, summary, waits, options, new WaveWriter(options.syncWriters()));
    this.phases = new SyncPhases(executor, applier, health, summary, waits, options);
  }

  /** Told whenever an Application's desired state changes (rendered anew, or forgotten). */
  public interface DesiredStateListener {
    void desiredStateChanged(String application, Optional<DesiredState> state);
  }

  public void addDesiredStateListener(DesiredStateListener listener) {
    listeners.add(listener);
  }

  /** Told at the end of every reconcile, on the thread that ran it. */
  public interface ReconcileListener {
    /**
     * @param application the Application reconciled
     * @param applied true when this reconcile applied (a sync), false when it only compared
     * @param result its outcome
     */
    void reconciled(String application, boolean applied, ReconcileResult result);
  }

  public void addReconcileListener(ReconcileListener listener) {
    reconcileListeners.add(listener);
  }

  /**
   * Test hook: the most reconciles of {@code application} ever seen running at once in this
   * reconciler (self-heal included, as it is a reconcile). The caller serialises, so this is 1.
   */
  public int mostConcurrentReconciles(String application) {
    return mostConcurrent.getOrDefault(application, 0);
  }

  /**
   * Reads live objects from {@code cache} where it has them instead of asking the API server (the
   * drift watcher installs itself here). Without a cache every reconcile reads from the API.
   */
  public void useLiveCache(LiveObjectCache cache) {
    cluster.useLiveCache(cache);
  }

  /** The desired state of the last successful render of {@code application}, if any. */
  public Optional<DesiredState> desiredState(String application) {
    return Optional.ofNullable(desired.get(application));
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * Every live object tracked as {@code application}'s (the resource tree and the resource proxy
   * read what the Application owns through this).
   *
   * @param cached from the watch cache where it has them (a moment stale); false: from the API
   *     server, for what a person asks to see now
   */
  public List<ObjectNode> ownedObjects(String application, boolean cached) {
    return cluster.listOwned(application, cached);
  }

  /** The live objects of {@code keys} that exist; {@code cached} as {@link #ownedObjects}. */
  public Map<ObjectKey, ObjectNode> readLive(java.util.Collection<ObjectKey> keys, boolean cached) {
    return cluster.readLive(keys, cached);
  }

  public ObjectApplier applier() {
    return applier;
  }

  public HealthAssessor healthAssessor() {
    return health;
  }

  /**
   * Renders {@code app}'s source from {@code repoRoot} (a checkout of {@code revision}) and, when
   * {@code apply} is true, applies and prunes per the Application's sync policy; otherwise only
   * compares.
   *
   * <p>Never waits: a sync that must wait (a wave not yet healthy, a retry backoff per {@code
   * syncPolicy.retry}) returns at once with {@link ReconcileResult#requeueAfter()}, and the caller
   * reconciles again after that long, re-rendering whatever is newest then.
   */
  public ReconcileResult reconcile(AppSpec app, Path repoRoot, String revision, boolean apply) {
    return reconcile(app, repoRoot, revision, apply, false);
  }

  /**
   * {@code requested}: a person asked for this sync (an operation even when it changes nothing).
   */
  public ReconcileResult reconcile(
      AppSpec app, Path repoRoot, String revision, boolean apply, boolean requested) {
    return reconcile(
        app,
        List.of(new SourceCheckout(0, app.source(), revision, repoRoot)),
        revision,
        apply,
        requested);
  }

  /**
   * The same for an Application of several sources, each checked out at its own revision; {@code
   * revision} names them all ({@link dev.flotilla.agent.reconcile.source.SourceRevisions}).
   */
  public ReconcileResult reconcile(
      AppSpec app,
      List<SourceCheckout> checkouts,
      String revision,
      boolean apply,
      boolean requested) {
    String name = app.name();
    var entered = inReconcile.computeIfAbsent(name, k -> new AtomicInteger());
    mostConcurrent.merge(name, entered.incrementAndGet(), Math::max);
    try {
      if (apply && operations.supersedeOther(app, revision)) { // a newer commit or spec
        retries.forget(name);
        waits.clear(name);
      }
      Instant started = operations.now();
      ReconcileResult attempt = attempt(app, checkouts, revision, apply);
      ReconcileResult result = apply ? retries.judge(app, revision, attempt) : attempt;
      if (apply) {
        operations.applied(
            app, revision, requested, started, attempt, result, retries.failures(name));
      } else {
        operations.compared(name, revision, result);
      }
      reconcileListeners.forEach(l -> l.reconciled(name, apply, result));
      return result;
    } finally {
      entered.decrementAndGet();
    }
  }

  /** The running sync operation of {@code application}, or the last one that ended. */
  public Optional<OperationState> operation(String application) {
    return operations.current(application);
  }

  /** The revision last deployed (synced, or found equal by a comparison), if known. */
  public Optional<String> deployedRevision(String application) {
    return operations.deployedRevision(application);
  }

  /** Ends the running operation, retries and health waits included; false when none runs. */
  public boolean terminateOperation(String application) {
    boolean ended = operations.terminate(application);
    if (ended) {
      retries.forget(application);
      waits.clear(application);
    }
    return ended;
  }

  /** render → check against the project → plan → apply the waves and prune (or compare). */
  private ReconcileResult attempt(
      AppSpec app, List<SourceCheckout> checkouts, String revision, boolean apply) {
    return render(app, checkouts, revision)
        .then(state -> checkProject(state, apply))
        .finish(state -> apply ? sync(state) : compare(state));
  }

  private ReconcileResult compare(DesiredState state) {
    return plan(state, false).finish(this::carryOut);
  }

  /** plan → apply the waves → prune, marked as syncing so that drift healing keeps off. */
  private ReconcileResult sync(DesiredState state) {
    String name = state.app().name();
    syncing.add(name);
    try {
      ReconcileResult result = plan(state, true).finish(this::carryOut);
      if (!result.inProgress()) {
        waits.clear(name);
      }
      return result;
    } finally {
      syncing.remove(name);
    }
  }

  // ------------------------------------------------------------------ steps

  private ReconcileStep<DesiredState> render(
      AppSpec app, List<SourceCheckout> checkouts, String revision) {
    try {
      // Argo CD objects (App of Apps) are the control plane's: never applied, compared or pruned.
      List<ObjectNode> rendered =
          ControlPlaneObjects.forCluster(renderer.render(app, checkouts).objects());
      return ReconcileStep.next(preparer.prepare(app, revision, rendered));
    } catch (RenderException | IllegalArgumentException e) {
      return ReconcileStep.end(ReconcileResult.failure("render failed: " + e.getMessage()));
    } catch (KubernetesClientException e) {
      return ReconcileStep.end(
          ReconcileResult.failure("could not resolve resource types: " + e.getMessage()));
    }
  }

  /**
   * Every object must be a kind the project permits; the desired state the drift watcher heals
   * towards is published only once it is.
   */
  private ReconcileStep<DesiredState> checkProject(DesiredState state, boolean apply) {
    AppSpec app = state.app();
    List<ProjectResourceCheck.Violation> forbidden;
    try {
      forbidden =
          ProjectResourceCheck.violations(
              app,
              state,
              applier.types(),
              apply ? namespaces.toCreate(app) : Optional.<String>empty());
    } catch (KubernetesClientException e) {
      return ReconcileStep.end(
          ReconcileResult.failure(
              "could not check resource kinds against the project: " + e.getMessage()));
    }
    if (!forbidden.isEmpty()) {
      return ReconcileStep.end(refuseByProject(state, forbidden));
    }
    desired.put(app.name(), state);
    cluster.rememberTypes(state);
    listeners.forEach(l -> l.desiredStateChanged(app.name(), Optional.of(state)));
    return ReconcileStep.next(state);
  }

  /** What a plan was made from, carried to the step that carries it out. */
  private record Planned(DesiredState state, SyncPlan plan, Map<ObjectKey, ObjectNode> live) {}

  /** Reads the cluster (creating the namespace first when asked to) and asks the planner. */
  private ReconcileStep<Planned> plan(DesiredState state, boolean apply) {
    AppSpec app = state.app();
    try {
      if (apply
          && app.syncPolicy().syncOptions().createNamespace()
          && !app.destination().namespace().isEmpty()) {
        namespaces.ensure(app.destination().namespace());
      }
      Map<ObjectKey, ObjectNode> live = cluster.readLive(state);
      List<ObjectNode> owned =
          cluster.listOwned(state).stream().filter(o -> !state.skips(o)).toList();
      SyncPlan plan = SyncPlanner.plan(new SyncRequest(app, apply, state.objects(), live, owned));
      return ReconcileStep.next(new Planned(state, plan, live));
    } catch (KubernetesClientException e) {
      return ReconcileStep.end(
          ReconcileResult.failure("could not read the cluster: " + e.getMessage()));
    }
  }

  private ReconcileResult carryOut(Planned p) {
    return switch (p.plan().decision()) {
      case COMPARE_ONLY ->
          summary.summarise(
              p.state(),
              p.live(),
              p.plan().orphans(),
              "compared (no changes made)",
              false,
              Map.of());
      case REFUSE ->
          summary.summarise(
              p.state(), p.live(), p.plan().orphans(), p.plan().refusalMessage(), true, Map.of());
      case APPLY -> phases.sync(p.state(), p.plan(), p.live());
    };
  }

  /**
   * A sync with objects the project does not permit: nothing is written, nothing pruned, and the
   * Application's desired state is withdrawn so that self-heal cannot restore a forbidden object
   * either (until a render the project permits). The result still reports every object.
   */
  private ReconcileResult refuseByProject(
      DesiredState state, List<ProjectResourceCheck.Violation> forbidden) {
    String name = state.app().name();
    List<String> reasons = forbidden.stream().map(ProjectResourceCheck.Violation::message).toList();
    String message =
        "sync refused, nothing applied: "
            + String.join("; ", reasons.subList(0, Math.min(3, reasons.size())))
            + (reasons.size() > 3 ? "; and " + (reasons.size() - 3) + " more" : "");
    LOG.warn("application {}: sync refused by its project: {}", name, String.join("; ", reasons));
    if (desired.remove(name) != null) {
      listeners.forEach(l -> l.desiredStateChanged(name, Optional.empty()));
    }
    Map<ObjectKey, String> errors = new HashMap<>();
    forbidden.forEach(v -> errors.put(v.key(), v.message()));
    try {
      return summary
          .summarise(state, cluster.readLive(state), cluster.orphans(state), message, true, errors)
          .withProgress(SyncCounts.NONE, errors, WaveState.NONE);
    } catch (KubernetesClientException e) {
      return ReconcileResult.failure(message);
    }
  }

  // ------------------------------------------------------------------ unassigning

  /**
   * Deletes every object this Application owns (honouring Delete=false); used when it is
   * unassigned.
   */
  public ReconcileResult deleteOwnedResources(String applicationName) {
    desired.remove(applicationName);
    operations.forget(applicationName);

    phases.forget(applicationName);
    retries.forget(applicationName);
    waits.clear(applicationName);
    listeners.forEach(l -> l.desiredStateChanged(applicationName, Optional.empty()));
    List<ObjectNode> owned;
    try {
      owned = cluster.listOwned(applicationName);
    } catch (KubernetesClientException e) {
      return ReconcileResult.failure(
          "could not list objects of " + applicationName + ": " + e.getMessage());
    }
    ReconcileResult result = executor.delete(owned);
    if (!result.failed()) {
      cluster.forgetTypes(applicationName);
    }
    return result;
  }

  /**
   * Forgets an Application without touching the cluster (unassigned with prune_resources=false).
   */
  public void forget(String applicationName) {
    desired.remove(applicationName);
    operations.forget(applicationName);

    phases.forget(applicationName);
    retries.forget(applicationName);
    waits.clear(applicationName);
    cluster.forgetTypes(applicationName);
    listeners.forEach(l -> l.desiredStateChanged(applicationName, Optional.empty()));
  }

  /** A manual sync: the next sync runs the hooks even when every resource is in sync. */
  public void manualSyncRequested(String application) {
    phases.manualSyncRequested(application);
  }

  /**
   * True while a sync of {@code application} is writing; the drift watcher leaves it alone then.
   */
  public boolean isSyncing(String application) {
    return syncing.contains(application);
  }

  /**
   * The kinds to look in for what an Application owns: the well-known ones, every kind it rendered
   * in this process, and — discovered once per process — every kind holding a managed object, so
   * that a custom resource applied before a restart is still found and pruned.
   */
  public Set<ObjectType> managedTypes() {
    return cluster.managedTypes();
  }

  // ------------------------------------------------------------------ comparing

  /** The JSON pointers {@code ignoreDifferences} excludes for one object. */
  public static List<String> ignoredPointers(AppSpec app, ObjectKey key) {
    return SyncPlanner.ignoredPointers(app, key);
  }

  /**
   * Differences between desired and live on the fields we set, ignoreDifferences excluded, and our
   * own last-applied record too: it is bookkeeping, not a field of the object, so a commit that
   * makes Git equal to what is live leaves nothing to sync.
   */
  public static List<ThreeWayMerge.Operation> differences(
      AppSpec app, ObjectNode desired, JsonNode live) {
    List<String> ignored = new java.util.ArrayList<>(ignoredPointers(app, ObjectKey.of(desired)));
    ignored.add(LAST_APPLIED_POINTER);
    return ThreeWayMerge.without(
        ThreeWayMerge.operations(desired, ObjectApplier.lastApplied(live), live), ignored);
  }

  private static final String LAST_APPLIED_POINTER =
      "/metadata/annotations/" + Tracking.LAST_APPLIED.replace("~", "~0").replace("/", "~1");
}
