package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.ResourceType;
import dev.flotilla.simulator.store.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller manager of one SIMULATED cluster: the Deployment, ReplicaSet, StatefulSet,
 * DaemonSet, Job, Service/EndpointSlice and Namespace controllers, the scheduler and kubelets, and
 * the garbage collector, all driven by the store's watch. Listeners only enqueue keys; one worker
 * thread drains the de-duplicating queue and reconciles each key by re-reading the store.
 */
public final class ControllerManager implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  private final ObjectStore store;
  private final ClusterTypes types;
  private final ExecutorService worker;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final WorkQueue queue;
  private final Map<String, Reconciler> reconcilers = new HashMap<>();
  private final List<AutoCloseable> watches = new ArrayList<>();
  private final GarbageCollector collector;

  private ControllerManager(ObjectStore store, ControllerOptions options) {
    this.store = store;
    this.types = ClusterTypes.resolve(store);
    int id = CLUSTERS.incrementAndGet();
    this.worker = Executors.newSingleThreadExecutor(daemon("sim-controllers-" + id));
    this.ownsScheduler = options.scheduler() == null;
    this.scheduler =
        ownsScheduler
            ? Executors.newSingleThreadScheduledExecutor(daemon("sim-controller-delays-" + id))
            : options.scheduler();
    this.queue = new WorkQueue(worker, scheduler, this::process);
    StoreWriter writer = new StoreWriter(store);
    EventRecorder events =
        new EventRecorder(writer, types.events(), options.clock(), Nodes.nodeName(1));
    Nodes nodes = new Nodes(store, types.nodes());
    nodes.ensure(options.nodeCount(), options.clock());
    Scheduler podScheduler = new Scheduler(writer, types.pods(), nodes, events, options.clock());
    ServiceController services =
        new ServiceController(
            writer, types, (ns, name) -> queue.add(ServiceController.NAME, ns, name));
    collector = new GarbageCollector(writer);
    reconcilers.put(
        Kubelet.NAME,
        new Kubelet(writer, types, podScheduler, events, options.clock(), options.podReadyDelay()));
    reconcilers.put(
        ReplicaSetController.NAME,
        new ReplicaSetController(writer, types, events, options.clock()));
    reconcilers.put(
        DeploymentController.NAME,
        new DeploymentController(writer, types, events, options.clock()));
    reconcilers.put(StatefulSetController.NAME, new StatefulSetController(writer, types, events));
    reconcilers.put(
        DaemonSetController.NAME, new DaemonSetController(writer, types, nodes, events));
    reconcilers.put(JobController.NAME, new JobController(writer, types, events, options.clock()));
    reconcilers.put(ServiceController.NAME, services);
    reconcilers.put("service-pod", services::podChanged);
    reconcilers.put(NamespaceController.NAME, new NamespaceController(writer, types));
    reconcilers.put(GarbageCollector.NAME, collector);
    reconcilers.put(
        "daemonset-all", (ns, name) -> enqueueAll(types.daemonSets(), DaemonSetController.NAME));
    reconcilers.put(
        "start",
        (ns, name) -> {
          services.loadUsedIps();
          return null;
        });
    // First in the queue, so no Service gets an address before the taken ones are known.
    queue.add(new WorkQueue.Key("start", "", ""));
  }

  /** Starts the controllers of the cluster whose objects {@code store} holds. */
  public static ControllerManager start(ObjectStore store, ControllerOptions options) {
    ControllerManager manager = new ControllerManager(store, options);
    manager.watchAll();
    return manager;
  }

  private void watchAll() {
    watch(types.pods(), this::podChanged);
    watch(
        types.replicaSets(),
        e -> {
          enqueue(ReplicaSetController.NAME, e.object());
          enqueueOwner(e.object(), "Deployment", DeploymentController.NAME);
        });
    watch(types.deployments(), e -> enqueue(DeploymentController.NAME, e.object()));
    watch(types.statefulSets(), e -> enqueue(StatefulSetController.NAME, e.object()));
    watch(types.daemonSets(), e -> enqueue(DaemonSetController.NAME, e.object()));
    watch(types.jobs(), e -> enqueue(JobController.NAME, e.object()));
    watch(types.services(), e -> enqueue(ServiceController.NAME, e.object()));
    watch(types.endpointSlices(), e -> enqueueOwner(e.object(), "Service", ServiceController.NAME));
    watch(types.namespaces(), e -> enqueue(NamespaceController.NAME, e.object()));
    watch(types.nodes(), e -> queue.add("daemonset-all", "", ""));
    watch(
        null,
        e -> {
          collector.observe(e);
          queue.add(GarbageCollector.NAME, "", "");
        });
    // The informers' initial list: everything already there is reconciled once.
    collector.seed(store);
    queue.add(GarbageCollector.NAME, "", "");
    enqueueAll(types.pods(), Kubelet.NAME);
    enqueueAll(types.replicaSets(), ReplicaSetController.NAME);
    enqueueAll(types.deployments(), DeploymentController.NAME);
    enqueueAll(types.statefulSets(), StatefulSetController.NAME);
    enqueueAll(types.daemonSets(), DaemonSetController.NAME);
    enqueueAll(types.jobs(), JobController.NAME);
    enqueueAll(types.services(), ServiceController.NAME);
    enqueueAll(types.namespaces(), NamespaceController.NAME);
  }

  private void watch(ResourceType type, Consumer<WatchEvent> listener) {
    watches.add(store.watch(type, listener));
  }

  private void podChanged(WatchEvent e) {
    ObjectNode pod = e.object();
    enqueue(Kubelet.NAME, pod);
    Meta.controllerRef(pod)
        .ifPresent(
            ref -> {
              String controller =
                  switch (ref.path("kind").asText()) {
                    case "ReplicaSet" -> ReplicaSetController.NAME;
                    case "StatefulSet" -> StatefulSetController.NAME;
                    case "DaemonSet" -> DaemonSetController.NAME;
                    case "Job" -> JobController.NAME;
                    default -> null;
                  };
              if (controller != null) {
                queue.add(controller, Meta.namespace(pod), ref.path("name").asText());
              }
            });
    // A deleted pod no longer has labels to match against: its Services are all looked at.
    queue.add(
        "service-pod",
        Meta.namespace(pod),
        e.type() == WatchEvent.Type.DELETED ? "" : Meta.name(pod));
  }

  private void enqueue(String controller, JsonNode object) {
    queue.add(controller, Meta.namespace(object), Meta.name(object));
  }

  private void enqueueOwner(JsonNode object, String kind, String controller) {
    String owner = Meta.controllerName(object, kind);
    if (owner != null) {
      queue.add(controller, Meta.namespace(object), owner);
    }
  }

  private Duration enqueueAll(ResourceType type, String controller) {
    for (ObjectNode o : store.list(type, null, x -> true)) {
      enqueue(controller, o);
    }
    return null;
  }

  private void process(WorkQueue.Key key) {
    Reconciler reconciler = reconcilers.get(key.controller());
    Duration again = reconciler.reconcile(key.namespace(), key.name());
    if (again != null) {
      queue.addAfter(key, again);
    }
  }

  /** Keys waiting to be reconciled (for tests and diagnostics). */
  public int pendingWork() {
    return queue.pendingCount();
  }

  /** Reconciles that threw (each is retried with backoff): zero in a healthy cluster. */
  public long failedReconciles() {
    return queue.failedCount();
  }

  /** The last reconcile that threw, with where it threw: what a failing test shows. */
  public String lastFailure() {
    return queue.lastFailure();
  }

  @Override
  public void close() {
    for (AutoCloseable watch : watches) {
      try {
        watch.close();
      } catch (Exception e) {
        LOG.debug("closing a watch failed", e);
      }
    }
    queue.close();
    worker.shutdownNow();
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
