package dev.flotilla.agent;

import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.agent.proxy.ResourceProxy;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.ReconcilerOptions;
import dev.flotilla.agent.reconcile.drift.Drift;
import dev.flotilla.agent.reconcile.drift.DriftWatcher;
import dev.flotilla.agent.reconcile.drift.SelfHealSettings;
import dev.flotilla.git.GitCache;
import dev.flotilla.git.GitCredentials;
import dev.flotilla.proto.agent.v1.AgentHealth;
import dev.flotilla.proto.agent.v1.AgentHealthState;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.render.chart.ChartCredentials;
import dev.flotilla.render.chart.ChartFetcher;
import dev.flotilla.render.chart.ChartLimits;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Status;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent in one cluster: holds its assignments, keeps the cluster equal to Git for each, and
 * reports up the stream. Works on from its persisted assignments while the control plane is
 * unreachable.
 *
 * <p>This class wires the parts and runs their timers: the {@link ControlPlaneSession} (the stream,
 * acks and at-least-once resend), the {@link AssignmentInbox} (what was asked) feeding the {@link
 * ReconcileQueue}, whose workers run the {@link AssignmentReconciler}, and the {@link
 * DriftWatcher}.
 */
public final class ClusterAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterAgent.class);

  /** Threads answering resource requests; a log follow holds none. */
  static final int RESOURCE_PROXY_THREADS = 2;

  private final AgentConfig config;
  private final Clock clock;
  private final AssignmentStore store;
  private final ReceivedCredentials receivedCredentials;
  private final ApplicationReconciler reconciler;
  private final DriftWatcher driftWatcher;

  /** Drift events the control plane has not acknowledged, persisted across restarts. */
  private final DriftJournal driftJournal;

  private final ScheduledThreadPoolExecutor scheduler;
  private final ExecutorService workers;
  private final ReconcileQueue queue;
  private final AssignmentInbox inbox;
  private final ControlPlaneSession session;
  private final AssignmentReconciler assignmentReconciler;
  private final AgentMetrics metrics;
  private final ResourceProxy resourceProxy;

  private final HealthSettings healthSettings;
  private final Instant startedAt;
  private volatile AgentHealth lastHealth = AgentHealth.getDefaultInstance();

  /** Runs before each reconcile; tests block it to see the agent report itself wedged. */
  private volatile Consumer<String> beforeReconcile = application -> {};

  public ClusterAgent(AgentConfig config, KubernetesClient kubernetes) {
    this(config, kubernetes, ReconcilerOptions.defaults(), HealthSettings.DEFAULTS);
  }

  /** With the reconcile engine tuned, e.g. the render deadline ({@code --render-timeout}). */
  public ClusterAgent(
      AgentConfig config, KubernetesClient kubernetes, ReconcilerOptions reconcilerOptions) {
    this(config, kubernetes, reconcilerOptions, HealthSettings.DEFAULTS);
  }

  public ClusterAgent(AgentConfig config, KubernetesClient kubernetes, HealthSettings health) {
    this(config, kubernetes, ReconcilerOptions.defaults(), health);
  }

  public ClusterAgent(
      AgentConfig config,
      KubernetesClient kubernetes,
      ReconcilerOptions reconcilerOptions,
      HealthSettings health) {
    this(config, kubernetes, reconcilerOptions, health, Clock.systemUTC());
  }

  /**
   * @param clock where the agent reads the time for its decisions (queue progress and liveness,
   *     drift and status times, heartbeats); tests pass a fixed or stepped one
   */
  public ClusterAgent(
      AgentConfig config,
      KubernetesClient kubernetes,
      ReconcilerOptions reconcilerOptions,
      HealthSettings health,
      Clock clock) {
    this.config = config;
    this.clock = clock;
    this.startedAt = clock.instant();
    this.healthSettings = health;
    this.store = new AssignmentStore(AgentStorage.stateBackend(config, kubernetes));
    this.driftJournal = new DriftJournal(AgentStorage.driftBackend(config, kubernetes));
    // The control plane's stored credentials for this agent's repositories, after its own file.
    this.receivedCredentials =
        new ReceivedCredentials(config.gitCacheDir().resolveSibling("received_known_hosts"));
    GitCache git =
        new GitCache(
            config.gitCacheDir(),
            gitCredentials(config).withLive(receivedCredentials::current),
            config.gitLimits());
    this.metrics =
        new AgentMetrics(
            this::isConnected,
            () -> store.all().size(),
            kubernetes.getMasterUrl() == null ? "" : kubernetes.getMasterUrl().toString());
    git.observeRequests(metrics);
    // The writes of one wave share a pool as large as the reconcile workers.
    this.reconciler =
        new ApplicationReconciler(kubernetes, reconcilerOptions.withSyncWriters(config.workers()));
    this.scheduler = new ScheduledThreadPoolExecutor(1, named("agent-scheduler"));
    // Each reconcile replaces its Application's "come back later" timer: drop cancelled ones now
    // rather than keep them queued until their (up to minutes away) time.
    scheduler.setRemoveOnCancelPolicy(true);
    this.workers = Executors.newFixedThreadPool(config.workers(), named("reconcile"));
    this.queue = new ReconcileQueue(workers, scheduler, this::reconcile, clock);
    this.inbox = new AssignmentInbox(store, queue, receivedCredentials);
    // A drifted object heals alone on the watcher's own bounded pool; an object still to be synced
    // is left to a reconcile of its whole Application through the queue.
    this.driftWatcher =
        new DriftWatcher(
            reconciler,
            this::onDrift,
            queue::submit,
            clock,
            SelfHealSettings.DEFAULTS
                .withThreads(config.workers())
                .withWatchResync(config.kubeApiTimeouts().watchResync()));
    this.session =
        new ControlPlaneSession(
            config, health, store, inbox, driftJournal, scheduler, this::health, clock);
    // Reads for the control plane (manifests, diffs, events, logs) on a small pool of their own.
    this.resourceProxy =
        new ResourceProxy(
            reconciler,
            application -> store.get(application).isPresent(),
            session::send,
            scheduler,
            RESOURCE_PROXY_THREADS);
    session.useResourceProxy(resourceProxy);
    this.assignmentReconciler =
        new AssignmentReconciler(
            inbox,
            git,
            new ChartFetcher(config.chartCacheDir(), helmCredentials(config), ChartLimits.DEFAULT),
            reconciler,
            driftWatcher,
            session.statusReporter(),
            new ApplicationStatuses(clock),
            metrics);
  }

  /** The repositories the control plane sent credentials for (URLs only), as held now. */
  public Set<String> receivedCredentialUrls() {
    return receivedCredentials.urls();
  }

  public void start() {
    LOG.info(
        "agent for cluster '{}' starting with {} persisted assignment(s) from {} and {}"
            + " unacknowledged drift event(s) from {}; control plane {}",
        config.cluster(),
        store.all().size(),
        store.describe(),
        driftJournal.size(),
        driftJournal.describe(),
        config.controlPlane());
    driftWatcher.start();
    // Keep the cluster as last assigned even before (or without) the control plane answering.
    inbox.reconcileAll();
    session.start();
    long resync = config.resyncInterval().toMillis();
    // Guarded: an executor cancels a periodic task that throws, without a word.
    scheduler.scheduleAtFixedRate(
        FatalErrors.process()
            .guard(
                "resync",
                () -> {
                  inbox.reconcileAll();
                  session.offerUnacknowledged();
                }),
        resync,
        resync,
        TimeUnit.MILLISECONDS);
    // Statuses need no timer here: the reporter schedules a flush only when one is pending.
  }

  /** The agent's judgement of itself, as the next heartbeat reports it; logged when it changes. */
  public AgentHealth health() {
    StatusReporter statuses = session.statusReporter();
    AgentHealth now =
        AgentWatchdog.judge(
            new AgentWatchdog.Observed(
                queue.progress(),
                startedAt,
                AgentWatchdog.heapInUseAfterGc(),
                store.persistenceError().or(driftJournal::persistenceError),
                statuses.all().values()),
            healthSettings,
            clock.instant());
    AgentHealth before = lastHealth;
    lastHealth = now;
    if (before.getState() == AgentHealthState.AGENT_HEALTH_STATE_WEDGED
        && now.getState() != AgentHealthState.AGENT_HEALTH_STATE_WEDGED) {
      // The control plane set our Applications Unknown while we were wedged; unchanged statuses
      // would otherwise never go up again.
      statuses.resendAll();
    }
    if (now.getState() != before.getState()) {
      if (now.getState() == AgentHealthState.AGENT_HEALTH_STATE_OK) {
        LOG.info(
            "agent health: OK{}", now.getMessage().isEmpty() ? "" : " (" + now.getMessage() + ")");
      } else {
        LOG.warn("agent health: {}: {}", now.getState(), now.getMessage());
      }
    }
    return now;
  }

  /** Drift events not yet acknowledged by the control plane, oldest first. */
  public List<DriftEvent> unacknowledgedDrift() {
    return driftJournal.unacknowledged();
  }

  /** Applications whose latest status the control plane has not confirmed stored, sorted. */
  public Set<String> unacknowledgedStatuses() {
    return session.statusReporter().unacknowledged();
  }

  /**
   * Test hook: runs on the reconcile worker before each reconcile (tests block it to wedge the
   * agent). Not for production use.
   */
  public void beforeReconcile(Consumer<String> hook) {
    this.beforeReconcile = hook;
  }

  /** The reconcile queue's state now (tests: no worker is held by a waiting Application). */
  ReconcileQueue.Progress queueProgress() {
    return queue.progress();
  }

  /** Applications waiting for a "come back later" (a retry backoff, a wave's health). */
  Set<String> requeued() {
    return queue.requeued();
  }

  /** Test hook: the most reconciles of one Application seen running at once. */
  int mostConcurrentReconciles(String application) {
    return reconciler.mostConcurrentReconciles(application);
  }

  /** The last refusal from the control plane (e.g. UNAUTHENTICATED), or null. */
  public Status lastRefusal() {
    return session.lastRefusal();
  }

  /**
   * Why the last connection attempt failed in the TLS handshake (e.g. an untrusted certificate), or
   * null when the agent has connected since or never had such a failure.
   */
  public String lastTlsFailure() {
    return session.lastTlsFailure();
  }

  public boolean isConnected() {
    return session != null && session.isConnected();
  }

  /** What {@code /metrics} shows for this agent (serve it with {@code MetricsEndpoint}). */
  public AgentMetrics metrics() {
    return metrics;
  }

  public Map<String, ApplicationStatus> statuses() {
    return session.statusReporter().all();
  }

  /** The queue's task, on a reconcile worker. */
  private Optional<Duration> reconcile(String application) {
    beforeReconcile.accept(application);
    return assignmentReconciler.reconcile(application);
  }

  /**
   * Called on the watcher's or a reconcile worker's thread: forwards the report. The watcher itself
   * asks for the reconcile that shows a change in the status; one here would also cut short a
   * retry's backoff.
   */
  private void onDrift(Drift drift) {
    // Journaled first: it stays there (and survives a restart) until the control plane acks it.
    session.sendDrift(driftJournal.add(drift.toProto()));
  }

  @Override
  public void close() {
    resourceProxy.close();
    session.close();
    driftWatcher.close();
    driftJournal.close();
    scheduler.shutdownNow();
    workers.shutdownNow();
    session.closeChannel();
    metrics.close();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
      session.awaitChannel(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The agent's own Git credentials: the file's per-URL entries, then the environment's user for
   * every other URL.
   *
   * @throws IllegalArgumentException when the credentials file cannot be read or is not valid
   */
  static GitCredentials gitCredentials(AgentConfig config) {
    if (config.gitCredentialsFile() == null) {
      return GitCredentials.of(config.gitUsername(), config.gitPassword());
    }
    try {
      return GitCredentials.load(
          config.gitCredentialsFile(), config.gitUsername(), config.gitPassword());
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * The agent's own credentials for Helm repositories and OCI registries.
   *
   * @throws IllegalArgumentException when the credentials file cannot be read or is not valid
   */
  static ChartCredentials helmCredentials(AgentConfig config) {
    if (config.helmCredentialsFile() == null) {
      return ChartCredentials.none();
    }
    try {
      return ChartCredentials.load(config.helmCredentialsFile());
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      // A thread dying of OutOfMemoryError must take the agent with it, not leave a zombie.
      t.setUncaughtExceptionHandler(FatalErrors.process());
      return t;
    };
  }
}
