package dev.flotilla.controlplane;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.AdminToken;
import dev.flotilla.controlplane.access.Bootstrap;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.RevisionPoller;
import dev.flotilla.controlplane.appofapps.AppOfAppsFeature;
import dev.flotilla.controlplane.appofapps.BootstrapSource;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.appset.ApplicationSetRepository;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.drift.DriftFeed;
import dev.flotilla.controlplane.drift.DriftRepository;
import dev.flotilla.controlplane.identity.PolicyRepository;
import dev.flotilla.controlplane.identity.TeamRepository;
import dev.flotilla.controlplane.identity.TokenRepository;
import dev.flotilla.controlplane.identity.UserRepository;
import dev.flotilla.controlplane.metrics.ControlPlaneMetrics;
import dev.flotilla.controlplane.metrics.MetricsFeature;
import dev.flotilla.controlplane.metrics.MetricsRepository;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.controlplane.replica.ReplicaEvent;
import dev.flotilla.controlplane.replica.ReplicaFeature;
import dev.flotilla.controlplane.repository.StoredCredentials;
import dev.flotilla.controlplane.store.Database;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running control plane: Postgres, the REST API, the agent gRPC endpoint, the ApplicationSet
 * controller and the Git poller, wired together. {@link #start} returns once every listener is
 * bound.
 *
 * <p>It builds its parts ({@link ControlPlaneParts}), coordinates them with the other replicas
 * ({@link ReplicaWiring}), builds the features on top, listens ({@link ControlPlaneListeners}),
 * exposes the parts tests and the CLI drive, and closes it all in reverse dependency order.
 */
public final class ControlPlane implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  /** Git work (clone, fetch, tree reads, generation) runs here, never on an event loop. */
  public static final String GIT_POOL = "git-ops";

  /**
   * Clones and fetches run here, apart from generation: each holds a thread until it ends or times
   * out, so a few hanging servers never hold up generation or the fetches of other repositories.
   */
  public static final String GIT_FETCH_POOL = "git-fetch";

  /** Parses ApplicationSet and AppProject documents, off the event loops. */
  public static final String DOCUMENTS_POOL = "documents";

  private final ControlPlaneConfig config;
  private final Database database;
  private final ControlPlaneParts parts;
  private final ReplicaWiring replicas;
  private final MetricsFeature metrics;
  private final AppOfAppsFeature appOfApps;
  private final Optional<String> bootstrapToken;
  private final AdminToken adminToken;
  private final ControlPlaneListeners listeners;

  private ControlPlane(ControlPlaneConfig config, Database database) throws Exception {
    this.config = config;
    this.database = database;
    ControlPlaneMetrics meters = new ControlPlaneMetrics();
    this.parts = new ControlPlaneParts(config, database, meters, this::fromReplica);
    // Before the features on top: they find the parts already relaying to the other replicas.
    this.replicas = new ReplicaWiring(parts, database, meters);
    parts.controller.observeGenerations(meters::generationFinished);
    parts.dispatcher.observeResyncs(meters::sessionResynced);
    this.metrics =
        new MetricsFeature(
            meters,
            parts.vertx,
            new MetricsRepository(parts.pool),
            parts.events,
            () -> parts.dispatcher.connectedClusters().size());
    this.appOfApps =
        new AppOfAppsFeature(
            new AppOfAppsFeature.Parts(
                parts.vertx,
                parts.gitOps,
                parts.documents,
                parts.git,
                parts.applications,
                parts.projects,
                parts.projectGate,
                parts.controller,
                parts.clusters,
                parts.dispatcher,
                parts.events,
                parts.poller,
                parts.audit,
                parts.access,
                parts.clock,
                AppOfAppsFeature.sweepInterval(config.gitPollInterval())));
    this.bootstrapToken =
        Bootstrap.ensureAdmin(parts.users, parts.policies, parts.tokens)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    this.adminToken =
        bootstrapToken.isPresent()
            ? AdminToken.write(config.adminTokenFile(), bootstrapToken.get())
            : AdminToken.read(config.adminTokenFile());
    this.listeners =
        new ControlPlaneListeners(config, database, parts, replicas.resourceLink(), appOfApps);
  }

  /** What another replica tells this one: it arrives only once {@link #listen} started it. */
  private void fromReplica(ReplicaEvent event) {
    replicas.fromReplica(event);
  }

  /** Starts with the database the configuration names (embedded unless a URL is given). */
  public static ControlPlane start(ControlPlaneConfig config) throws Exception {
    Database database =
        config.dbUrl() == null
            ? Database.embedded(config.postgresDir(), config.embeddedDurability())
            : Database.external(config.dbUrl());
    try {
      return start(config, database);
    } catch (Exception e) {
      database.close();
      throw e;
    }
  }

  /** Starts on a given database (tests give each their own). Migrates it first. */
  public static ControlPlane start(ControlPlaneConfig config, Database database) throws Exception {
    return start(
        config,
        database,
        NettyServerBuilder.forAddress(
            new InetSocketAddress(config.bindHost(), config.grpcPort()),
            ServerTransports.grpc(config)));
  }

  /**
   * Starts with the gRPC services (agent protocol, platform API, health, reflection) on {@code
   * grpcServer}, e.g. an in-process one in tests; the server's own transport settings (address,
   * TLS) are the builder's.
   */
  public static ControlPlane start(
      ControlPlaneConfig config, Database database, ServerBuilder<?> grpcServer) throws Exception {
    database.migrate();
    ControlPlane cp = new ControlPlane(config, database);
    try {
      cp.listen(grpcServer);
    } catch (Exception e) {
      cp.close();
      throw e;
    }
    return cp;
  }

  private void listen(ServerBuilder<?> grpcServer) throws Exception {
    // First: other replicas must see this one alive before it takes leases or agents.
    parts.replica.start();
    listeners.open(grpcServer);
    parts
        .storedCredentials
        .reload()
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    parts.poller.start();
    appOfApps.start();
    parts.auditRetention.start();
    metrics.start();
    parts.syncWindows.start();
    if (parts.replica.leases().holds(ReplicaFeature.GIT_POLLER)) {
      // Once per fleet of replicas: the others are generating already (the poller's replica).
      parts
          .controller
          .reconcileAll()
          .onFailure(e -> LOG.warn("initial ApplicationSet generation failed", e));
      parts
          .controller
          .resumeDeletions()
          .onFailure(e -> LOG.warn("resuming ApplicationSet deletions failed", e));
    }
  }

  /**
   * Declares the root App of Apps ({@code flotilla server --bootstrap}) and reads it once; the
   * control plane then keeps it and its children in step with Git.
   */
  public Future<Void> bootstrap(BootstrapSource source) {
    return appOfApps.bootstrap(source);
  }

  public AppOfAppsFeature appOfApps() {
    return appOfApps;
  }

  /** Serves {@code /metrics} on a port of its own (0: a free one); returns the bound port. */
  public int serveMetrics(String host, int port) throws Exception {
    return metrics
        .serve(host, port)
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  public ControlPlaneMetrics metrics() {
    return metrics.metrics();
  }

  public int httpPort() {
    return listeners.httpPort();
  }

  public int grpcPort() {
    return listeners.grpcPort();
  }

  public String bindHost() {
    return config.bindHost();
  }

  public Database database() {
    return database;
  }

  /** The admin token from {@code $FLOTILLA_HOME/admin.token} (written at first start). */
  public AdminToken adminToken() {
    return adminToken;
  }

  /** The admin token created by this start, to be shown once; empty on later starts. */
  public Optional<String> bootstrapToken() {
    return bootstrapToken;
  }

  public AccessControl access() {
    return parts.access;
  }

  public UserRepository users() {
    return parts.users;
  }

  public TeamRepository teams() {
    return parts.teams;
  }

  public TokenRepository tokens() {
    return parts.tokens;
  }

  public PolicyRepository policies() {
    return parts.policies;
  }

  public ApplicationSetController controller() {
    return parts.controller;
  }

  public RevisionPoller poller() {
    return parts.poller;
  }

  /** The stored repository credentials as this replica last loaded them (tests). */
  public StoredCredentials storedCredentials() {
    return parts.storedCredentials;
  }

  public ClusterRepository clusters() {
    return parts.clusters;
  }

  public ApplicationRepository applications() {
    return parts.applications;
  }

  /** Notifications of changed Applications (what watches and streams follow). */
  public ApplicationEvents events() {
    return parts.events;
  }

  public ApplicationSetRepository applicationSets() {
    return parts.applicationSets;
  }

  public ProjectRepository projects() {
    return parts.projects;
  }

  public DriftRepository drift() {
    return parts.drift;
  }

  /** Changes of Applications made through this replica or any other (watchers subscribe). */
  public ApplicationEvents applicationEvents() {
    return parts.events;
  }

  public DriftFeed driftFeed() {
    return parts.driftFeed;
  }

  public AgentDispatcher dispatcher() {
    return parts.dispatcher;
  }

  /** This process as one of the control-plane replicas on its database. */
  public ReplicaFeature replica() {
    return parts.replica;
  }

  public Vertx vertx() {
    return parts.vertx;
  }

  /**
   * Runs {@code action} (on a watchdog thread) if the embedded database dies and cannot be
   * restarted; the server command then exits non-zero so that a supervisor restarts it.
   */
  public void onDatabaseFailure(Runnable action) {
    database.embeddedServer().ifPresent(server -> server.onFailure(action));
  }

  @Override
  public void close() throws Exception {
    try {
      parts.poller.stop();
      appOfApps.stop();
      parts.auditRetention.close();
      metrics.close();
      parts.syncWindows.stop();
      listeners.stopUi();
      parts.liveness.close();
      // The safety resync, this replica's leases, then the resource link.
      replicas.close();
      parts.dispatcher.closeAll();
      listeners.close();
      parts.gitOps.close();
      parts.gitFetch.close();
      parts.documents.close();
      parts.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      // Last, whatever failed before: the embedded PostgreSQL must not outlive the process (no
      // library shutdown hook stops it any more).
      database.close();
    }
  }
}
