package dev.flotilla.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.ReconcileResult;
import dev.flotilla.agent.reconcile.ReconcileStatusMapper;
import dev.flotilla.agent.reconcile.ReconcilerOptions;
import dev.flotilla.agent.reconcile.SyncState;
import dev.flotilla.agent.reconcile.drift.Drift;
import dev.flotilla.agent.reconcile.drift.DriftWatcher;
import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.core.tls.Pem;
import dev.flotilla.core.tls.TlsConfigException;
import dev.flotilla.git.GitCache;
import dev.flotilla.git.GitCredentials;
import dev.flotilla.git.GitFetchException;
import dev.flotilla.proto.agent.v1.Ack;
import dev.flotilla.proto.agent.v1.AckBatch;
import dev.flotilla.proto.agent.v1.AgentHealth;
import dev.flotilla.proto.agent.v1.AgentHealthState;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.Delete;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.Hello;
import dev.flotilla.proto.agent.v1.SyncRequest;
import dev.flotilla.proto.agent.v1.SyncStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent in one cluster: holds its assignments, keeps the cluster equal to Git for each, and
 * reports up the stream. Works on from its persisted assignments while the control plane is
 * unreachable.
 */
public final class ClusterAgent implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterAgent.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.time.Duration PROGRESSING_RECHECK = java.time.Duration.ofSeconds(2);

  /** How long status changes are collected before they go up as one batch. */
  static final java.time.Duration STATUS_FLUSH = java.time.Duration.ofMillis(100);

  private final AgentConfig config;
  private final AssignmentStore store;
  private final GitCache git;
  private final ApplicationReconciler reconciler;
  private final DriftWatcher driftWatcher;

  /**
   * Application -> "generation@sha" last applied, so automated sync without selfHeal applies once.
   */
  private final Map<String, String> lastApplied = new ConcurrentHashMap<>();

  /** Drift events the control plane has not acknowledged, persisted across restarts. */
  private final DriftJournal driftJournal;

  private final ScheduledExecutorService scheduler;
  private final ExecutorService workers;
  private final ReconcileQueue queue;
  private final ManagedChannel channel;
  private final ControlPlaneConnection connection;
  private final StatusReporter statusReporter;

  /** Applications unassigned but not yet cleaned up, with whether their resources go too. */
  private final Map<String, Boolean> pendingRemovals = new ConcurrentHashMap<>();

  /** One-off manual syncs: application -> revision to sync to (empty: the assigned one). */
  private final Map<String, String> manualSyncs = new ConcurrentHashMap<>();

  private final StreamProblems streamProblems;
  private final SnapshotReceiver snapshots;

  private volatile Status lastRefusal;
  private volatile String lastTlsFailure;

  private final HealthSettings healthSettings;
  private final java.time.Instant startedAt = java.time.Instant.now();
  private volatile AgentHealth lastHealth = AgentHealth.getDefaultInstance();

  /** Runs before each reconcile; tests block it to see the agent report itself wedged. */
  private volatile java.util.function.Consumer<String> beforeReconcile = application -> {};

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
    this.config = config;
    this.healthSettings = health;
    this.store = new AssignmentStore(stateBackend(config, kubernetes));
    this.driftJournal = new DriftJournal(driftBackend(config, kubernetes));
    this.git = new GitCache(config.gitCacheDir(), gitCredentials(config), config.gitLimits());
    this.reconciler = new ApplicationReconciler(kubernetes, reconcilerOptions);
    java.util.concurrent.ScheduledThreadPoolExecutor timers =
        new java.util.concurrent.ScheduledThreadPoolExecutor(1, named("agent-scheduler"));
    // Each reconcile replaces its Application's "come back later" timer: drop cancelled ones now
    // rather than keep them queued until their (up to minutes away) time.
    timers.setRemoveOnCancelPolicy(true);
    this.scheduler = timers;
    this.workers = Executors.newFixedThreadPool(config.workers(), named("reconcile"));
    this.queue =
        new ReconcileQueue(
            workers,
            scheduler,
            application -> {
              beforeReconcile.accept(application);
              return reconcile(application);
            },
            java.time.Clock.systemUTC());
    // Self-heal is a reconcile of the whole Application through the queue, never a side write.
    this.driftWatcher = new DriftWatcher(reconciler, this::onDrift, queue::submit);
    this.channel = ControlPlaneConnection.channel(config.target(), channelCredentials(config));
    this.connection =
        new ControlPlaneConnection(
            channel,
            this::hello,
            new ControlListener(),
            scheduler,
            config.initialBackoff(),
            config.maxBackoff(),
            health.heartbeatInterval(),
            this::health);
    this.statusReporter = new StatusReporter(connection::send);
    this.streamProblems = new StreamProblems(config.cluster(), connection::send);
    this.snapshots =
        new SnapshotReceiver(streamProblems, c -> applySnapshot(c.assignments(), c.heldBack()));
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
    store.all().forEach(a -> queue.submit(a.getName()));
    connection.start();
    long resync = config.resyncInterval().toMillis();
    // Guarded: an executor cancels a periodic task that throws, without a word.
    scheduler.scheduleAtFixedRate(
        FatalErrors.process()
            .guard(
                "resync",
                () -> {
                  store.all().forEach(a -> queue.submit(a.getName()));
                  // Events, statuses and acks the control plane could not store (e.g. its
                  // database was away) are not acknowledged: offer them again rather than only on
                  // the next connection.
                  flushDrift();
                  statusReporter.resendUnacknowledged();
                  ackHeld();
                }),
        resync,
        resync,
        TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(
        FatalErrors.process().guard("status flush", this::flushStatus),
        STATUS_FLUSH.toMillis(),
        STATUS_FLUSH.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The agent's judgement of itself, as the next heartbeat reports it; logged when it changes. */
  public AgentHealth health() {
    AgentHealth now =
        AgentWatchdog.judge(
            new AgentWatchdog.Observed(
                queue.progress(),
                startedAt,
                AgentWatchdog.heapInUseAfterGc(),
                store.persistenceError().or(driftJournal::persistenceError),
                statusReporter.all().values()),
            healthSettings,
            java.time.Instant.now());
    AgentHealth before = lastHealth;
    lastHealth = now;
    if (before.getState() == AgentHealthState.AGENT_HEALTH_STATE_WEDGED
        && now.getState() != AgentHealthState.AGENT_HEALTH_STATE_WEDGED) {
      // The control plane set our Applications Unknown while we were wedged; unchanged statuses
      // would otherwise never go up again.
      statusReporter.resendAll();
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
  public java.util.List<DriftEvent> unacknowledgedDrift() {
    return driftJournal.unacknowledged();
  }

  /** Applications whose latest status the control plane has not confirmed stored, sorted. */
  public java.util.Set<String> unacknowledgedStatuses() {
    return statusReporter.unacknowledged();
  }

  /**
   * Test hook: runs on the reconcile worker before each reconcile (tests block it to wedge the
   * agent). Not for production use.
   */
  public void beforeReconcile(java.util.function.Consumer<String> hook) {
    this.beforeReconcile = hook;
  }

  /** The reconcile queue's state now (tests: no worker is held by a waiting Application). */
  ReconcileQueue.Progress queueProgress() {
    return queue.progress();
  }

  /** Applications waiting for a "come back later" (a retry backoff, a wave's health). */
  java.util.Set<String> requeued() {
    return queue.requeued();
  }

  /** Test hook: the most reconciles of one Application seen running at once. */
  int mostConcurrentReconciles(String application) {
    return reconciler.mostConcurrentReconciles(application);
  }

  private void flushStatus() {
    try {
      statusReporter.flush();
    } catch (RuntimeException e) {
      // A failed flush must not cancel the periodic task.
      LOG.warn("sending status failed", e);
    }
  }

  /** The last refusal from the control plane (e.g. UNAUTHENTICATED), or null. */
  public Status lastRefusal() {
    return lastRefusal;
  }

  /**
   * Why the last connection attempt failed in the TLS handshake (e.g. an untrusted certificate), or
   * null when the agent has connected since or never had such a failure.
   */
  public String lastTlsFailure() {
    return lastTlsFailure;
  }

  public boolean isConnected() {
    return connection.isConnected();
  }

  public Map<String, ApplicationStatus> statuses() {
    return statusReporter.all();
  }

  private Hello hello() {
    return Hello.newBuilder()
        .setCluster(config.cluster())
        .setToken(config.token())
        .setAgentVersion(AgentConfig.VERSION)
        .setAssignmentsChecksum(store.checksum())
        .setGeneration(store.highestGeneration())
        .setHeartbeatIntervalMs(healthSettings.heartbeatInterval().toMillis())
        .build();
  }

  private void onControlMessage(ControlMessage message) {
    switch (message.getKindCase()) {
      case WELCOME -> {
        lastRefusal = null;
        lastTlsFailure = null;
        LOG.info(
            "connected to control plane as '{}'{}",
            config.cluster(),
            message.getWelcome().getInSync() ? " (assignments already in sync)" : "");
        statusReporter.resendAll(message.getWelcome().getAcknowledgesStatuses());
        flushDrift();
        ackHeld();
        streamProblems.flush();
        if (message.getWelcome().getInSync()) {
          streamProblems.resolved();
        }
      }
      case SNAPSHOT ->
          applySnapshot(
              message.getSnapshot().getAssignmentsList(),
              java.util.Set.copyOf(message.getSnapshot().getHeldBackList()));
      case SNAPSHOT_BEGIN, SNAPSHOT_CHUNK, SNAPSHOT_END -> snapshots.onPart(message);
      case UPSERT -> {
        Assignment a = message.getUpsert().getAssignment();
        pendingRemovals.remove(a.getName());
        if (store.upsert(a)) {
          queue.submit(a.getName());
        }
        ack(a.getName(), a.getGeneration());
      }
      case DELETE -> {
        Delete d = message.getDelete();
        store
            .remove(d.getApplication())
            .ifPresent(
                gone -> {
                  pendingRemovals.put(d.getApplication(), d.getPruneResources());
                  queue.submit(d.getApplication());
                });
        ack(d.getApplication(), d.getGeneration());
      }
      case SYNC -> {
        SyncRequest s = message.getSync();
        if (!s.getRefreshOnly()) {
          manualSyncs.put(s.getApplication(), s.getRevision());
        }
        queue.submit(s.getApplication());
      }
      case DRIFT_ACK -> driftJournal.acknowledge(message.getDriftAck().getIdsList());
      case STATUS_ACK -> statusReporter.acknowledge(message.getStatusAck().getStatusesList());
      default -> LOG.debug("ignoring control message {}", message.getKindCase());
    }
  }

  /** Replaces the assignments with a complete snapshot, all at once. */
  private void applySnapshot(java.util.List<Assignment> snapshot, java.util.Set<String> heldBack) {
    for (Assignment gone : store.replaceAll(snapshot)) {
      pendingRemovals.put(
          gone.getName(), !heldBack.contains(gone.getName()) && gone.getDeleteResourcesOnRemoval());
      queue.submit(gone.getName());
    }
    for (Assignment a : snapshot) {
      ack(a.getName(), a.getGeneration());
      queue.submit(a.getName());
    }
    streamProblems.resolved();
  }

  private void ack(String application, long generation) {
    connection.send(
        AgentMessage.newBuilder()
            .setAck(Ack.newBuilder().setApplication(application).setGeneration(generation))
            .build());
  }

  /**
   * Acknowledges again every assignment held, in batches: an Ack the control plane received but
   * could not store is otherwise lost, and it has no way to ask again. Idempotent there.
   */
  private void ackHeld() {
    java.util.List<Assignment> held = store.all();
    for (int from = 0; from < held.size(); from += ACKS_PER_BATCH) {
      AckBatch.Builder batch = AckBatch.newBuilder();
      for (Assignment a : held.subList(from, Math.min(held.size(), from + ACKS_PER_BATCH))) {
        batch.addAcks(
            Ack.newBuilder().setApplication(a.getName()).setGeneration(a.getGeneration()));
      }
      if (!connection.send(AgentMessage.newBuilder().setAcks(batch).build())) {
        return;
      }
    }
  }

  /** Acks per AckBatch: each is a name and a number, so a batch stays far below any limit. */
  static final int ACKS_PER_BATCH = 1000;

  /**
   * Runs on a reconcile worker; never on a gRPC thread. Never waits: returns when to reconcile the
   * Application again (a retry backoff, a wave or rollout still progressing), if ever.
   */
  private Optional<java.time.Duration> reconcile(String application) {
    var assignment = store.get(application);
    if (assignment.isEmpty()) {
      Boolean deleteResources = pendingRemovals.remove(application);
      if (deleteResources != null) {
        if (deleteResources) {
          ReconcileResult r = reconciler.deleteOwnedResources(application);
          LOG.info("application {} unassigned; {}", application, r.message());
        } else {
          // Let go entirely: no more self-heal or drift for objects we no longer manage.
          reconciler.forget(application);
          LOG.info("application {} unassigned; its resources are kept", application);
        }
        statusReporter.forget(application);
        lastApplied.remove(application);
      }
      return Optional.empty();
    }
    Assignment a = assignment.get();
    String manualRevision = manualSyncs.remove(application);
    try {
      JsonNode spec = JSON.readTree(a.getSpecJson());
      JsonNode source = spec.path("source");
      String repoUrl = source.path("repoURL").asText("");
      if (repoUrl.isEmpty()) {
        report(a, failure("spec.source.repoURL is missing", ""));
        driftWatcher.reconcileAbandoned(application);
        return Optional.empty();
      }
      String wanted =
          manualRevision != null && !manualRevision.isEmpty()
              ? manualRevision
              : !a.getRevision().isEmpty()
                  ? a.getRevision()
                  : source.path("targetRevision").asText("HEAD");
      String sha = git.resolve(repoUrl, wanted);
      Path checkout = git.checkout(repoUrl, sha);
      JsonNode automated = spec.path("syncPolicy").path("automated");
      boolean selfHeal = automated.path("selfHeal").asBoolean(false);
      String target = a.getGeneration() + "@" + sha;
      // As in Argo CD: automated sync applies each new target once; only selfHeal re-applies after
      // someone changed the cluster by hand. A manual sync always applies.
      // A closed sync window holds automated sync back (new revisions and self-heal alike); the
      // control plane only sends a manual sync that the windows let through.
      boolean windowClosed = a.getAutoSyncBlocked() && !automated.isMissingNode();
      boolean apply =
          manualRevision != null
              || (!automated.isMissingNode()
                  && !windowClosed
                  && (selfHeal || !target.equals(lastApplied.get(application))));
      AppSpec appSpec =
          AppSpec.parse(a.getName(), a.getProject(), a.getSpecJson())
              .withResourceRules(a.hasResourceRules() ? a.getResourceRules() : null);
      if (a.getAutoSyncBlocked()) {
        appSpec = appSpec.withSelfHealSuspended();
      }
      ReconcileResult result = reconciler.reconcile(appSpec, checkout, sha, apply);
      if (apply && !result.failed() && !result.inProgress()) {
        lastApplied.put(application, target);
      }
      if (manualRevision != null && result.requeueAfter().isPresent()) {
        // A manual sync that waits or retries is still a manual sync when it comes back.
        manualSyncs.putIfAbsent(application, manualRevision);
      }
      ApplicationStatus.Builder status = status(a, sha, result);
      if (windowClosed && manualRevision == null) {
        String note = "automated sync blocked: " + a.getAutoSyncBlockedReason();
        status.setMessage(status.getMessage().isEmpty() ? note : note + "; " + status.getMessage());
      }
      report(a, status);
      if (result.requeueAfter().isPresent()) {
        return result.requeueAfter();
      }
      if (result.health() == HealthState.PROGRESSING) {
        // Rollouts finish on their own time: look again soon rather than at the next resync.
        return Optional.of(PROGRESSING_RECHECK);
      }
      return Optional.empty();
    } catch (GitFetchException e) {
      report(a, failure(e.getMessage(), a.getRevision()));
    } catch (IOException e) {
      report(a, failure("spec is not valid JSON: " + e.getMessage(), a.getRevision()));
    } catch (IllegalArgumentException e) {
      report(a, failure(e.getMessage(), a.getRevision()));
    } catch (RuntimeException e) {
      LOG.warn("reconcile of {} failed", application, e);
      report(a, failure("internal error: " + e, a.getRevision()));
    }
    // Failed before the reconciler ran: a self-heal waiting for this reconcile is reported
    // unhealed.
    driftWatcher.reconcileAbandoned(application);
    return Optional.empty();
  }

  private static ApplicationStatus.Builder failure(String message, String revision) {
    return ApplicationStatus.newBuilder()
        .setSyncStatus(SyncStatus.SYNC_STATUS_UNKNOWN)
        .setHealth(HealthStatus.HEALTH_STATUS_UNKNOWN)
        .setSyncFailed(true)
        .setMessage(message)
        .setRevision(revision);
  }

  private ApplicationStatus.Builder status(Assignment a, String sha, ReconcileResult r) {
    ApplicationStatus.Builder b = ReconcileStatusMapper.toStatus(r).setRevision(sha);
    ApplicationStatus previous = statusReporter.latest(a.getName()).orElse(null);
    if (!r.failed() && r.sync() == SyncState.SYNCED) {
      boolean sameAsBefore =
          previous != null
              && previous.getRevision().equals(sha)
              && previous.getSyncStatus() == SyncStatus.SYNC_STATUS_SYNCED;
      b.setLastSyncedAtUnixMs(
          sameAsBefore ? previous.getLastSyncedAtUnixMs() : System.currentTimeMillis());
    } else if (previous != null) {
      b.setLastSyncedAtUnixMs(previous.getLastSyncedAtUnixMs());
    }
    return b;
  }

  private void report(Assignment a, ApplicationStatus.Builder builder) {
    ApplicationStatus status =
        builder
            .setApplication(a.getName())
            .setGeneration(a.getGeneration())
            .setObservedAtUnixMs(System.currentTimeMillis())
            .build();
    // Recorded only: the reporter deduplicates and sends batches on its own schedule.
    statusReporter.report(status);
  }

  /**
   * Called on the watcher's thread: forwards the event and, when not healed, re-assesses the app.
   */
  private void onDrift(Drift drift) {
    // Journaled first: it stays there (and survives a restart) until the control plane acks it.
    DriftEvent event = driftJournal.add(drift.toProto());
    connection.send(AgentMessage.newBuilder().setDrift(event).build());
    if (!drift.healed()) {
      queue.submit(drift.application());
    }
  }

  /** A new stream: everything not acknowledged goes (again); the control plane deduplicates. */
  private void flushDrift() {
    for (DriftEvent event : driftJournal.unacknowledged()) {
      if (!connection.send(AgentMessage.newBuilder().setDrift(event).build())) {
        return;
      }
    }
  }

  @Override
  public void close() {
    flushStatus();
    connection.close();
    driftWatcher.close();
    driftJournal.close();
    scheduler.shutdownNow();
    workers.shutdownNow();
    channel.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class ControlListener implements ControlPlaneConnection.Listener {
    @Override
    public void onMessage(ControlMessage message) {
      onControlMessage(message);
    }

    @Override
    public void onConnectionLost(Status status) {
      snapshots.connectionLost(status);
      String tls = tlsProblem(status, config);
      if (tls != null) {
        lastTlsFailure = tls;
        LOG.warn("cannot connect to the control plane: {}; retrying", tls);
      }
      if (status.getCode() == Status.Code.UNAUTHENTICATED) {
        lastRefusal = status;
        LOG.warn(
            "control plane refused cluster '{}': {} — check the token (flotilla cluster add prints"
                + " it once) and that the cluster is registered",
            config.cluster(),
            status.getDescription());
      }
    }
  }

  private static AssignmentBackend stateBackend(AgentConfig config, KubernetesClient kubernetes) {
    return switch (config.stateStore()) {
      case FILE -> new FileAssignmentBackend(config.assignmentsFile());
      case CONFIGMAP ->
          new ConfigMapAssignmentBackend(
              kubernetes, config.stateNamespace(), config.stateConfigMap());
    };
  }

  /** The drift journal beside the assignments: its own file, or its own ConfigMap. */
  private static AssignmentBackend driftBackend(AgentConfig config, KubernetesClient kubernetes) {
    return switch (config.stateStore()) {
      case FILE -> new FileAssignmentBackend(config.stateDir().resolve(DRIFT_JOURNAL_FILE));
      case CONFIGMAP ->
          new ConfigMapAssignmentBackend(
              kubernetes,
              config.stateNamespace(),
              driftConfigMap(config.cluster()),
              DRIFT_JOURNAL_FILE);
    };
  }

  static final String DRIFT_JOURNAL_FILE = "drift-journal.json";

  /** The ConfigMap holding the drift journal with the ConfigMap store. */
  static String driftConfigMap(String cluster) {
    return "flotilla-agent-drift-" + cluster;
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
   * Plaintext, TLS with the JDK's trusted CAs, or TLS trusting only the configured CA file.
   *
   * @throws TlsConfigException when the CA file is missing or holds no PEM certificate
   */
  static ChannelCredentials channelCredentials(AgentConfig config) {
    if (!config.tls()) {
      return InsecureChannelCredentials.create();
    }
    TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
    if (config.caFile() != null) {
      tls.trustManager(Pem.trustManagers(config.caFile(), CA_FLAG).getTrustManagers());
    }
    return tls.build();
  }

  static final String CA_FLAG = "--ca-file";

  /**
   * What to tell the operator when a connection failed in the TLS handshake, or null when it did
   * not: certificate errors repeat on every retry until someone changes a flag or a certificate.
   */
  static String tlsProblem(Status status, AgentConfig config) {
    Throwable ssl = null;
    boolean certificate = false;
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof SSLException && ssl == null) {
        ssl = t;
      }
      certificate |=
          t instanceof java.security.cert.CertificateException
              || t instanceof java.security.cert.CertPathBuilderException
              || t instanceof java.security.cert.CertPathValidatorException;
    }
    if (ssl == null) {
      return null;
    }
    String detail = rootMessage(ssl);
    if (certificate && detail.contains("subject alternative names")) {
      return "the control plane's certificate does not name "
          + config.target()
          + " ("
          + detail
          + ") — dial the host name or IP address it was issued for";
    }
    if (certificate) {
      return "the control plane's certificate at "
          + config.target()
          + " is not trusted ("
          + detail
          + ") — pass "
          + CA_FLAG
          + " with the CA certificate that signed it"
          + (config.caFile() != null ? " (" + config.caFile() + " did not)" : "");
    }
    return "TLS with the control plane at "
        + config.target()
        + " failed ("
        + detail
        + ") — if the server runs without --tls-cert, drop --tls/--ca-file";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
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
