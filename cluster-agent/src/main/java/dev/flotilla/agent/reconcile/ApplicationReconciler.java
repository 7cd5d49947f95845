package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ObjectType;
import dev.flotilla.agent.reconcile.apply.ResourceTypes;
import dev.flotilla.agent.reconcile.apply.ThreeWayMerge;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.agent.reconcile.health.Health;
import dev.flotilla.agent.reconcile.health.HealthAssessor;
import dev.flotilla.agent.reconcile.render.ManifestRenderer;
import dev.flotilla.agent.reconcile.render.RenderException;
import dev.flotilla.core.digest.Digests;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one cluster look like Git for one Application: render, apply, prune, assess health.
 *
 * <p>Every method blocks (Kubernetes and file I/O): call from a worker thread, never an event loop.
 * Different Applications may be reconciled concurrently; one Application must not be reconciled by
 * two threads at once (the caller serialises per Application).
 */
public final class ApplicationReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(ApplicationReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Kinds listed to find what an Application owns when nothing better is known (after a restart).
   */
  public static final List<ObjectType> WELL_KNOWN_TYPES =
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

  private final KubernetesClient client;
  private final ReconcilerOptions options;
  private final ManifestRenderer renderer;
  private final ObjectApplier applier;
  private final HealthAssessor health;
  private final Map<String, DesiredState> desired = new ConcurrentHashMap<>();
  private final Map<String, Set<ObjectType>> typesByApp = new ConcurrentHashMap<>();
  private final Set<String> syncing = ConcurrentHashMap.newKeySet();
  private final SyncRetries retries = new SyncRetries();
  private final HealthWaits waits = new HealthWaits();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> inReconcile =
      new ConcurrentHashMap<>();
  private final Map<String, Integer> mostConcurrent = new ConcurrentHashMap<>();
  private volatile LiveObjectCache cache;
  private final Supplier<List<ObjectType>> discovered;
  private final List<DesiredStateListener> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<ReconcileListener> reconcileListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  public ApplicationReconciler(KubernetesClient client) {
    this(client, ReconcilerOptions.defaults());
  }

  public ApplicationReconciler(KubernetesClient client, ReconcilerOptions options) {
    this(client, options, new ManifestRenderer(options.limits()));
  }

  ApplicationReconciler(
      KubernetesClient client, ReconcilerOptions options, ManifestRenderer renderer) {
    this.client = client;
    this.options = options;
    this.renderer = renderer;
    this.applier = new ObjectApplier(client, new ResourceTypes(client));
    this.discovered =
        memoize(
            () ->
                applier
                    .types()
                    .discoverTypesHolding(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY_VALUE));
    this.health = new HealthAssessor(options.statuslessWorkloads());
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
    this.cache = cache;
  }

  /** The desired state of the last successful render of {@code application}, if any. */
  public Optional<DesiredState> desiredState(String application) {
    return Optional.ofNullable(desired.get(application));
  }

  public KubernetesClient client() {
    return client;
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
    var entered =
        inReconcile.computeIfAbsent(
            app.name(), k -> new java.util.concurrent.atomic.AtomicInteger());
    mostConcurrent.merge(app.name(), entered.incrementAndGet(), Math::max);
    try {
      ReconcileResult attempt = attempt(app, repoRoot, revision, apply);
      ReconcileResult result = apply ? retries.judge(app, revision, attempt) : attempt;
      reconcileListeners.forEach(l -> l.reconciled(app.name(), apply, result));
      return result;
    } finally {
      entered.decrementAndGet();
    }
  }

  private ReconcileResult attempt(AppSpec app, Path repoRoot, String revision, boolean apply) {
    DesiredState state;
    try {
      List<ObjectNode> rendered = renderer.render(app, repoRoot);
      state = prepare(app, revision, rendered);
    } catch (RenderException | IllegalArgumentException e) {
      return failure("render failed: " + e.getMessage());
    } catch (KubernetesClientException e) {
      return failure("could not resolve resource types: " + e.getMessage());
    }
    List<ProjectResourceCheck.Violation> forbidden;
    try {
      forbidden =
          ProjectResourceCheck.violations(
              app,
              state,
              applier.types(),
              apply ? namespaceToCreate(app) : Optional.<String>empty());
    } catch (KubernetesClientException e) {
      return failure("could not check resource kinds against the project: " + e.getMessage());
    }
    if (!forbidden.isEmpty()) {
      return refuse(state, forbidden);
    }
    desired.put(app.name(), state);
    typesByApp
        .computeIfAbsent(app.name(), k -> ConcurrentHashMap.newKeySet())
        .addAll(state.objects().keySet().stream().map(ObjectKey::type).toList());
    listeners.forEach(l -> l.desiredStateChanged(app.name(), Optional.of(state)));
    if (!apply) {
      return compare(state);
    }
    syncing.add(app.name());
    try {
      ReconcileResult result = sync(state);
      if (!result.inProgress()) {
        waits.clear(app.name());
      }
      return result;
    } finally {
      syncing.remove(app.name());
    }
  }

  /** The destination namespace when this sync would create it (CreateNamespace=true). */
  private Optional<String> namespaceToCreate(AppSpec app) {
    String namespace = app.destination().namespace();
    if (!app.syncPolicy().syncOptions().createNamespace()
        || namespace.isEmpty()
        || client.namespaces().withName(namespace).get() != null) {
      return Optional.empty();
    }
    return Optional.of(namespace);
  }

  /**
   * A sync with objects the project does not permit: nothing is written, nothing pruned, and the
   * Application's desired state is withdrawn so that self-heal cannot restore a forbidden object
   * either (until a render the project permits). The result still reports every object.
   */
  private ReconcileResult refuse(
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
      return summarise(
          state, readLive(state.objects().keySet()), orphans(state), message, true, errors);
    } catch (KubernetesClientException e) {
      return failure(message);
    }
  }

  /**
   * Deletes every object this Application owns (honouring Delete=false); used when it is
   * unassigned.
   */
  public ReconcileResult deleteOwnedResources(String applicationName) {
    desired.remove(applicationName);
    retries.forget(applicationName);
    waits.clear(applicationName);
    listeners.forEach(l -> l.desiredStateChanged(applicationName, Optional.empty()));
    List<ObjectNode> owned;
    try {
      owned = listOwned(applicationName);
    } catch (KubernetesClientException e) {
      return failure("could not list objects of " + applicationName + ": " + e.getMessage());
    }
    owned.sort(SyncOrder.WITHIN_WAVE.reversed());
    List<ResourceStatus> lines = new ArrayList<>();
    int deleted = 0;
    int kept = 0;
    for (ObjectNode live : owned) {
      ObjectKey key = ObjectKey.of(live);
      if (syncOptionsOf(live).isFalse("Delete")) {
        kept++;
        lines.add(
            line(key, SyncStatus.SYNC_STATUS_UNKNOWN, health.assess(live), "kept: Delete=false"));
        continue;
      }
      try {
        applier.delete(key);
        deleted++;
      } catch (KubernetesClientException e) {
        return failure("could not delete " + key + ": " + e.getMessage());
      }
    }
    typesByApp.remove(applicationName);
    return new ReconcileResult(
        SyncStatus.SYNC_STATUS_SYNCED,
        HealthStatus.HEALTH_STATUS_HEALTHY,
        "",
        "deleted " + deleted + " objects" + (kept > 0 ? ", kept " + kept + " (Delete=false)" : ""),
        false,
        lines);
  }

  /**
   * Forgets an Application without touching the cluster (unassigned with prune_resources=false).
   */
  public void forget(String applicationName) {
    desired.remove(applicationName);
    retries.forget(applicationName);
    waits.clear(applicationName);
    typesByApp.remove(applicationName);
    listeners.forEach(l -> l.desiredStateChanged(applicationName, Optional.empty()));
  }

  // ------------------------------------------------------------------ desired state

  /**
   * Turns rendered objects into what is applied: namespace defaulted for namespaced kinds (and
   * dropped for cluster-scoped ones), status dropped, tracking labels and annotations added, and
   * the last-applied record written.
   */
  DesiredState prepare(AppSpec app, String revision, List<ObjectNode> rendered) {
    String defaultNamespace =
        app.destination().namespace().isEmpty() ? "default" : app.destination().namespace();
    Map<ObjectKey, ObjectNode> objects = new LinkedHashMap<>();
    for (ObjectNode source : rendered) {
      ObjectNode obj = source.deepCopy();
      obj.remove("status");
      ObjectNode meta = obj.with("metadata");
      meta.remove(
          List.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"));
      ObjectKey key = ObjectKey.of(obj);
      if (applier.types().namespaced(key.type())) {
        if (meta.path("namespace").asText("").isEmpty()) {
          meta.put("namespace", defaultNamespace);
        }
      } else {
        meta.remove("namespace");
      }
      key = ObjectKey.of(obj);
      SyncOrder.wave(obj); // validates the annotation up front
      meta.with("labels")
          .put(Tracking.MANAGED_BY_LABEL, Tracking.MANAGED_BY_VALUE)
          .put(Tracking.APP_LABEL, Tracking.appLabelValue(app.name()));
      ObjectNode annotations = meta.with("annotations");
      annotations.remove(Tracking.LAST_APPLIED);
      annotations.put(Tracking.TRACKING_ID, Tracking.trackingId(app.name(), key));
      annotations.put(Tracking.LAST_APPLIED, lastAppliedRecord(key, obj));
      if (objects.put(key, obj) != null) {
        throw new IllegalArgumentException(key + " is rendered twice");
      }
    }
    return new DesiredState(app, revision, objects);
  }

  /**
   * The last-applied record. The merge only reads which fields it holds, never their values, so a
   * Secret's values are stored as digests: the annotation must not become a plaintext copy.
   */
  static String lastAppliedRecord(ObjectKey key, ObjectNode obj) {
    if (!key.group().isEmpty() || !key.kind().equals("Secret")) {
      return obj.toString();
    }
    ObjectNode redacted = obj.deepCopy();
    for (String field : List.of("data", "stringData")) {
      if (redacted.get(field) instanceof ObjectNode values) {
        List<String> keys = new ArrayList<>();
        values.fieldNames().forEachRemaining(keys::add);
        keys.forEach(k -> values.put(k, digest(values.get(k).asText())));
      }
    }
    return redacted.toString();
  }

  private static String digest(String value) {
    return "sha256:" + Digests.sha256Hex(value, 16);
  }

  /**
   * True while a sync of {@code application} is writing; the drift watcher leaves it alone then.
   */
  public boolean isSyncing(String application) {
    return syncing.contains(application);
  }

  // ------------------------------------------------------------------ compare

  private ReconcileResult compare(DesiredState state) {
    try {
      Map<ObjectKey, ObjectNode> live = readLive(state.objects().keySet());
      List<ObjectNode> orphans = orphans(state);
      return summarise(state, live, orphans, "compared (no changes made)", false, Map.of());
    } catch (KubernetesClientException e) {
      return failure("could not read the cluster: " + e.getMessage());
    }
  }

  // ------------------------------------------------------------------ sync

  private ReconcileResult sync(DesiredState state) {
    AppSpec app = state.app();
    SyncOptions appOptions = app.syncPolicy().syncOptions();
    Map<ObjectKey, String> errors = new LinkedHashMap<>();
    Map<ObjectKey, ObjectNode> live;
    List<ObjectNode> owned;
    try {
      if (appOptions.createNamespace() && !app.destination().namespace().isEmpty()) {
        ensureNamespace(app.destination().namespace());
      }
      live = readLive(state.objects().keySet());
      owned = orphans(state);
    } catch (KubernetesClientException e) {
      return failure("could not read the cluster: " + e.getMessage());
    }
    // Ownership first: one foreign object fails the sync before anything is written.
    List<String> conflicts = new ArrayList<>();
    for (Map.Entry<ObjectKey, ObjectNode> e : live.entrySet()) {
      String owner = ownerOf(e.getValue());
      if (owner != null && !owner.equals(app.name())) {
        conflicts.add(
            e.getKey() + " is owned by application '" + owner + "', not '" + app.name() + "'");
      }
    }
    if (!conflicts.isEmpty()) {
      return summarise(
          state, live, owned, "sync error: " + String.join("; ", conflicts), true, Map.of());
    }
    if (state.objects().isEmpty()
        && !owned.isEmpty()
        && app.syncPolicy().prune()
        && !app.syncPolicy().allowEmpty()) {
      return summarise(
          state,
          live,
          owned,
          "render yielded no objects; refusing to prune the "
              + owned.size()
              + " objects this application owns (set syncPolicy.automated.allowEmpty to allow)",
          true,
          Map.of());
    }

    TreeMap<Integer, List<ObjectNode>> waves = new TreeMap<>();
    for (ObjectNode obj : state.objects().values()) {
      waves.computeIfAbsent(SyncOrder.wave(obj), w -> new ArrayList<>()).add(obj);
    }
    int created = 0;
    int patched = 0;
    int unchanged = 0;
    Map<ObjectKey, ObjectNode> after = new HashMap<>(live);
    boolean failed = false;
    String failure = "";
    String waiting = null;
    for (Map.Entry<Integer, List<ObjectNode>> wave : waves.entrySet()) {
      List<ObjectNode> objects = wave.getValue();
      objects.sort(SyncOrder.WITHIN_WAVE);
      for (ObjectNode obj : objects) {
        ObjectKey key = ObjectKey.of(obj);
        try {
          ObjectApplier.Outcome outcome =
              applier.apply(
                  obj,
                  after.get(key),
                  modeFor(obj, appOptions),
                  ignoredPointers(app, key),
                  appOptions.isTrue("RespectIgnoreDifferences"));
          after.put(key, outcome.live());
          switch (outcome.action()) {
            case CREATED -> created++;
            case UNCHANGED -> unchanged++;
            default -> patched++;
          }
        } catch (KubernetesClientException
            | IllegalArgumentException
            | ObjectApplier.OwnershipConflictException e) {
          errors.put(key, e.getMessage());
          failed = true;
          failure = "could not apply " + key + ": " + e.getMessage();
          break;
        }
      }
      if (failed) {
        break;
      }
      if (!wave.getKey().equals(waves.lastKey())) {
        Optional<String> notHealthy = firstUnhealthy(objects, after);
        if (notHealthy.isPresent()) {
          if (waits.expired(
              app.name(), state.revision() + " wave " + wave.getKey(), options.waveTimeout())) {
            failed = true;
            failure = "wave " + wave.getKey() + " did not become healthy: " + notHealthy.get();
          } else {
            waiting =
                "waiting for wave " + wave.getKey() + " to become healthy: " + notHealthy.get();
          }
          break;
        }
      }
    }
    int pruned = 0;
    if (!failed && waiting == null && app.syncPolicy().prune()) {
      if (appOptions.pruneLast() && !state.objects().isEmpty()) {
        Optional<String> notHealthy =
            firstUnhealthy(new ArrayList<>(state.objects().values()), after);
        if (notHealthy.isPresent()) {
          if (waits.expired(app.name(), state.revision() + " prune last", options.waveTimeout())) {
            failed = true;
            failure = "not pruning (PruneLast) while unhealthy: " + notHealthy.get();
          } else {
            waiting = "waiting to prune (PruneLast) until healthy: " + notHealthy.get();
          }
        }
      }
      if (!failed && waiting == null) {
        List<ObjectNode> toPrune = new ArrayList<>(owned);
        toPrune.sort(
            java.util.Comparator.<ObjectNode>comparingInt(SyncOrder::waveOrZero)
                .reversed()
                .thenComparing(SyncOrder.WITHIN_WAVE.reversed()));
        List<ObjectNode> remaining = new ArrayList<>();
        for (ObjectNode orphan : toPrune) {
          ObjectKey key = ObjectKey.of(orphan);
          if (syncOptionsOf(orphan).isFalse("Prune")) {
            remaining.add(orphan);
            continue;
          }
          try {
            applier.delete(key);
            pruned++;
          } catch (KubernetesClientException e) {
            remaining.add(orphan);
            failed = true;
            failure = "could not prune " + key + ": " + e.getMessage();
          }
        }
        owned = remaining;
      }
    }
    if (waiting != null) {
      // Come back rather than hold this worker: the next reconcile re-reads the wave and goes on.
      return summarise(state, after, owned, waiting, false, errors)
          .requeuedAfter(options.healthPollInterval());
    }
    String message =
        failed
            ? failure
            : "applied "
                + state.objects().size()
                + " objects (created "
                + created
                + ", patched "
                + patched
                + ", unchanged "
                + unchanged
                + ")"
                + (pruned > 0 ? ", pruned " + pruned : "");
    return summarise(state, after, owned, message, failed, errors);
  }

  private ObjectApplier.Mode modeFor(JsonNode obj, SyncOptions appOptions) {
    SyncOptions own = syncOptionsOf(obj);
    if (own.replace() || (appOptions.replace() && !own.isFalse("Replace"))) {
      return ObjectApplier.Mode.REPLACE;
    }
    if (own.serverSideApply()
        || (appOptions.serverSideApply() && !own.isFalse("ServerSideApply"))) {
      return ObjectApplier.Mode.SERVER_SIDE;
    }
    return ObjectApplier.Mode.PATCH;
  }

  private void ensureNamespace(String namespace) {
    if (client.namespaces().withName(namespace).get() == null) {
      try {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
            .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  /** Why not every one of {@code objects} is healthy as {@code live} has them, if so. */
  private Optional<String> firstUnhealthy(
      List<ObjectNode> objects, Map<ObjectKey, ObjectNode> live) {
    for (ObjectNode obj : objects) {
      ObjectKey key = ObjectKey.of(obj);
      Health h = health.assess(live.get(key));
      if (!h.isHealthy()) {
        return Optional.of(
            key + " is " + label(h.status()) + (h.message().isEmpty() ? "" : ": " + h.message()));
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------ reading the cluster

  private Map<ObjectKey, ObjectNode> readLive(Collection<ObjectKey> keys) {
    Map<ObjectKey, ObjectNode> live = new HashMap<>();
    LiveObjectCache c = cache;
    for (ObjectKey key : keys) {
      ObjectNode obj = c != null && c.caches(key.type()) ? c.get(key) : applier.get(key);
      if (obj != null) {
        live.put(key, obj);
      }
    }
    return live;
  }

  /** Objects this Application owns that are not desired (any more). */
  private List<ObjectNode> orphans(DesiredState state) {
    Set<ObjectKey> wanted = state.objects().keySet();
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode obj : listOwned(state.app().name())) {
      if (!wanted.contains(ObjectKey.of(obj))) {
        out.add(obj);
      }
    }
    return out;
  }

  /**
   * The kinds to look in for what an Application owns: the well-known ones, every kind it rendered
   * in this process, and — discovered once per process — every kind holding a managed object, so
   * that a custom resource applied before a restart is still found and pruned.
   */
  public Set<ObjectType> managedTypes() {
    Set<ObjectType> types = new LinkedHashSet<>(WELL_KNOWN_TYPES);
    types.addAll(discovered.get());
    typesByApp.values().forEach(types::addAll);
    return types;
  }

  private List<ObjectNode> listOwned(String app) {
    Set<ObjectType> types = new LinkedHashSet<>(WELL_KNOWN_TYPES);
    types.addAll(discovered.get());
    types.addAll(typesByApp.getOrDefault(app, Set.of()));
    String label = Tracking.appLabelValue(app);
    List<ObjectNode> owned = new ArrayList<>();
    LiveObjectCache c = cache;
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
        if (app.equals(ownerOf(obj))) {
          owned.add(obj);
        }
      }
    }
    return owned;
  }

  static String ownerOf(JsonNode live) {
    return Tracking.owner(
        live.path("metadata").path("annotations").path(Tracking.TRACKING_ID).asText(null));
  }

  static SyncOptions syncOptionsOf(JsonNode obj) {
    return SyncOptions.fromAnnotation(
        obj.path("metadata").path("annotations").path(SyncOptions.ANNOTATION).asText(""));
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

  // ------------------------------------------------------------------ results

  /** The JSON pointers {@code ignoreDifferences} excludes for one object. */
  public static List<String> ignoredPointers(AppSpec app, ObjectKey key) {
    List<String> out = new ArrayList<>();
    for (AppSpec.IgnoreDifference d : app.ignoreDifferences()) {
      if (d.matches(key.group(), key.kind(), key.namespace(), key.name())) {
        out.addAll(d.jsonPointers());
      }
    }
    return out;
  }

  /** Differences between desired and live on the fields we set, ignoreDifferences excluded. */
  public static List<ThreeWayMerge.Operation> differences(
      AppSpec app, ObjectNode desired, JsonNode live) {
    ObjectKey key = ObjectKey.of(desired);
    return ThreeWayMerge.without(
        ThreeWayMerge.operations(desired, ObjectApplier.lastApplied(live), live),
        ignoredPointers(app, key));
  }

  private ReconcileResult summarise(
      DesiredState state,
      Map<ObjectKey, ObjectNode> live,
      List<ObjectNode> orphans,
      String message,
      boolean failed,
      Map<ObjectKey, String> errors) {
    List<ResourceStatus> lines = new ArrayList<>();
    boolean synced = orphans.isEmpty();
    Health worst = Health.HEALTHY;
    for (ObjectNode want : state.objects().values()) {
      ObjectKey key = ObjectKey.of(want);
      ObjectNode have = live.get(key);
      Health h = health.assess(have);
      String owner = have == null ? null : ownerOf(have);
      boolean foreign = owner != null && !owner.equals(state.app().name());
      boolean inSync = have != null && !foreign && differences(state.app(), want, have).isEmpty();
      synced &= inSync;
      if (h.isWorseThan(worst)) {
        worst =
            new Health(
                h.status(), key + ": " + (h.message().isEmpty() ? label(h.status()) : h.message()));
      }
      String msg =
          errors.containsKey(key)
              ? errors.get(key)
              : foreign ? "owned by application '" + owner + "'" : h.message();
      lines.add(
          line(
              key,
              inSync ? SyncStatus.SYNC_STATUS_SYNCED : SyncStatus.SYNC_STATUS_OUT_OF_SYNC,
              h,
              msg));
    }
    for (ObjectNode orphan : orphans) {
      boolean protectedFromPrune = syncOptionsOf(orphan).isFalse("Prune");
      lines.add(
          line(
              ObjectKey.of(orphan),
              SyncStatus.SYNC_STATUS_OUT_OF_SYNC,
              health.assess(orphan),
              protectedFromPrune ? "ignored for pruning (Prune=false)" : "requires pruning"));
    }
    return new ReconcileResult(
        synced ? SyncStatus.SYNC_STATUS_SYNCED : SyncStatus.SYNC_STATUS_OUT_OF_SYNC,
        worst.status(),
        worst.isHealthy() ? "" : worst.message(),
        message,
        failed,
        lines);
  }

  private static ResourceStatus line(ObjectKey key, SyncStatus sync, Health h, String message) {
    return ResourceStatus.newBuilder()
        .setGroup(key.group())
        .setVersion(key.version())
        .setKind(key.kind())
        .setNamespace(key.namespace())
        .setName(key.name())
        .setSyncStatus(sync)
        .setHealth(h.status())
        .setMessage(message == null ? "" : message)
        .build();
  }

  private static ReconcileResult failure(String message) {
    return new ReconcileResult(
        SyncStatus.SYNC_STATUS_UNKNOWN,
        HealthStatus.HEALTH_STATUS_UNKNOWN,
        message,
        message,
        true,
        List.of());
  }

  static String label(HealthStatus s) {
    String n = s.name().replace("HEALTH_STATUS_", "").toLowerCase(java.util.Locale.ROOT);
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }
}
