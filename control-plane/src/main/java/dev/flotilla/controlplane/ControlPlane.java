package dev.flotilla.controlplane;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.AdminToken;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Bootstrap;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.FleetApplicationRepository;
import dev.flotilla.controlplane.application.RevisionPoller;
import dev.flotilla.controlplane.appofapps.AppOfAppsFeature;
import dev.flotilla.controlplane.appofapps.BootstrapSource;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.appset.ApplicationSetRepository;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.dispatch.AgentLiveness;
import dev.flotilla.controlplane.dispatch.AgentRelay;
import dev.flotilla.controlplane.dispatch.AgentService;
import dev.flotilla.controlplane.dispatch.SyncWindowTicker;
import dev.flotilla.controlplane.drift.DriftFeed;
import dev.flotilla.controlplane.drift.DriftRepository;
import dev.flotilla.controlplane.drift.DriftedObject;
import dev.flotilla.controlplane.git.GitFetcher;
import dev.flotilla.controlplane.git.GitRepositories;
import dev.flotilla.controlplane.identity.AuditRepository;
import dev.flotilla.controlplane.identity.AuditRetention;
import dev.flotilla.controlplane.identity.AuditService;
import dev.flotilla.controlplane.identity.EnforcerLoader;
import dev.flotilla.controlplane.identity.IdentityFeature;
import dev.flotilla.controlplane.identity.PolicyRepository;
import dev.flotilla.controlplane.identity.TeamRepository;
import dev.flotilla.controlplane.identity.TokenRepository;
import dev.flotilla.controlplane.identity.UserRepository;
import dev.flotilla.controlplane.metrics.ControlPlaneMetrics;
import dev.flotilla.controlplane.metrics.MetricsFeature;
import dev.flotilla.controlplane.metrics.MetricsRepository;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.controlplane.proxy.ReplicaResourceLink;
import dev.flotilla.controlplane.proxy.ResourceProxyFeature;
import dev.flotilla.controlplane.proxy.ResourceProxyService;
import dev.flotilla.controlplane.proxy.ResourceRelayRepository;
import dev.flotilla.controlplane.proxy.ResourceTreeRepository;
import dev.flotilla.controlplane.replica.Leases;
import dev.flotilla.controlplane.replica.ReplicaEvent;
import dev.flotilla.controlplane.replica.ReplicaFeature;
import dev.flotilla.controlplane.repository.CredentialRepository;
import dev.flotilla.controlplane.repository.StoredCredentials;
import dev.flotilla.controlplane.rest.GitWebhook;
import dev.flotilla.controlplane.rest.RestApi;
import dev.flotilla.controlplane.rest.Routes;
import dev.flotilla.controlplane.secret.SecretBox;
import dev.flotilla.controlplane.secret.SecretKeys;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.controlplane.ui.UiApplicationRepository;
import dev.flotilla.controlplane.ui.UiFeature;
import dev.flotilla.controlplane.ui.UiSessionRepository;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running control plane: Postgres, the REST API, the agent gRPC endpoint, the ApplicationSet
 * controller and the Git poller, wired together. {@link #start} returns once every listener is
 * bound.
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

  /** Where every decision and stored timestamp of this control plane takes its time from. */
  private final Clock clock = Clock.systemUTC();

  private final ControlPlaneConfig config;
  private final Database database;
  private final Vertx vertx;
  private final ResourceTreeRepository resourceTrees;
  private final WorkerExecutor gitOps;
  private final WorkerExecutor gitFetch;
  private final WorkerExecutor documents;
  private final AgentDispatcher dispatcher;
  private final ClusterRepository clusters;
  private final ApplicationRepository applications;
  private final ApplicationSetRepository applicationSets;
  private final DriftRepository drift;
  private final ProjectRepository projects;
  private final AgentService agentService;
  private final AgentLiveness liveness;
  private final ApplicationEvents events = new ApplicationEvents();
  private final DriftFeed driftFeed = new DriftFeed();
  private final ApplicationSetController controller;
  private final RevisionPoller poller;
  private final UserRepository users;
  private final TeamRepository teams;
  private final TokenRepository tokens;
  private final PolicyRepository policies;
  private final AccessControl access;
  private final AuditRepository auditLog;
  private final Audit audit;
  private final AuditRetention auditRetention;
  private final Optional<String> bootstrapToken;
  private final AdminToken adminToken;
  private final ProjectGate projectGate;
  private final SyncWindowTicker syncWindows;
  private final CredentialRepository repositories;
  private final SecretBox secrets;
  private final StoredCredentials storedCredentials;
  private final MetricsFeature metrics;
  private final ReplicaFeature replica;
  private final ReplicaResourceLink resourceLink;
  private long safetyResync = -1;

  /** How often the agents connected here are brought up to date with the store regardless. */
  static final java.time.Duration SAFETY_RESYNC = java.time.Duration.ofMinutes(5);

  private final AppOfAppsFeature appOfApps;
  private long uiTimer = -1;
  private HttpServer http;
  private Server grpc;

  private ControlPlane(ControlPlaneConfig config, Database database) throws Exception {
    this.config = config;
    this.database = database;
    ControlPlaneMetrics meters = new ControlPlaneMetrics();
    this.vertx = meters.newVertx();
    Pool pool = database.pool(vertx);
    this.gitOps = vertx.createSharedWorkerExecutor(GIT_POOL, 4, 10, TimeUnit.MINUTES);
    this.gitFetch = vertx.createSharedWorkerExecutor(GIT_FETCH_POOL, 8, 10, TimeUnit.MINUTES);
    this.documents = vertx.createSharedWorkerExecutor(DOCUMENTS_POOL, 2, 1, TimeUnit.MINUTES);
    this.dispatcher = new AgentDispatcher();
    this.replica =
        new ReplicaFeature(
            vertx, database.coordinationPool(vertx), database.connectOptions(), this::fromReplica);
    this.clusters = new ClusterRepository(pool, replica.id());
    this.resourceTrees = new ResourceTreeRepository(pool);
    this.applications = new ApplicationRepository(pool, clock);
    this.applicationSets = new ApplicationSetRepository(pool);
    this.drift = new DriftRepository(pool, clock);
    this.repositories = new CredentialRepository(pool);
    this.secrets = SecretKeys.load(System.getenv(SecretKeys.ENV), config.home());
    // Stored `repo add` credentials: read at each fetch, so changes need no restart.
    this.storedCredentials =
        new StoredCredentials(repositories, secrets, config.home().resolve("ssh_known_hosts"));
    // Agents receive the stored credentials of their own Applications' repositories.
    dispatcher.supplyCredentials(new AgentCredentialFeed(vertx, storedCredentials));
    storedCredentials.onReload(dispatcher::credentialsChanged);
    GitRepositories gitRepositories =
        new GitRepositories(
            config.gitCacheDir(),
            config.gitCredentials().withLive(storedCredentials::current),
            config.gitLimits());
    gitRepositories.observeRequests(meters.git());
    GitFetcher git =
        new GitFetcher(
            gitFetch,
            gitRepositories,
            (url, error) ->
                storedCredentials.recordFetch(
                    url, error == null ? null : error.getMessage(), clock.instant()));
    this.projects = new ProjectRepository(pool);
    this.projectGate = new ProjectGate(projects, clusters);
    dispatcher.readForManyThrough(projectGate, new FleetApplicationRepository(pool));
    this.syncWindows =
        new SyncWindowTicker(vertx, projectGate, dispatcher, SyncWindowTicker.DEFAULT_INTERVAL);
    this.liveness = new AgentLiveness(vertx, clock, clusters, dispatcher, events);
    this.agentService =
        new AgentService(
            clusters,
            applications,
            dispatcher,
            drift,
            driftFeed,
            projectGate,
            events,
            liveness,
            clock);
    this.controller =
        new ApplicationSetController(
            gitOps,
            applicationSets,
            applications,
            clusters,
            git,
            dispatcher,
            projectGate,
            events,
            config.defaultRequeue(),
            config.appSetPolicy(),
            config.appSetPolicyOverride(),
            clock);
    this.poller =
        new RevisionPoller(
            vertx, gitOps, applications, git, dispatcher, controller, config.gitPollInterval());
    this.users = new UserRepository(pool);
    this.teams = new TeamRepository(pool);
    this.tokens = new TokenRepository(pool, clock);
    this.policies = new PolicyRepository(pool);
    this.access = new AccessControl(tokens, new EnforcerLoader(policies, projects));
    this.auditLog = new AuditRepository(pool);
    this.audit = new Audit(auditLog);
    this.auditRetention = new AuditRetention(vertx, auditLog, config.auditRetention());
    coordinate(meters);
    this.resourceLink =
        new ReplicaResourceLink(
            vertx,
            dispatcher,
            agentRelay(),
            new ResourceRelayRepository(pool, database.connectOptions()));
    controller.observeGenerations(meters::generationFinished);
    dispatcher.observeResyncs(meters::sessionResynced);
    this.metrics =
        new MetricsFeature(
            meters,
            vertx,
            new MetricsRepository(pool),
            events,
            () -> dispatcher.connectedClusters().size());
    this.appOfApps =
        new AppOfAppsFeature(
            new AppOfAppsFeature.Parts(
                vertx,
                gitOps,
                documents,
                git,
                applications,
                projects,
                projectGate,
                controller,
                clusters,
                dispatcher,
                events,
                poller,
                audit,
                access,
                clock,
                AppOfAppsFeature.sweepInterval(config.gitPollInterval())));
    this.bootstrapToken =
        Bootstrap.ensureAdmin(users, policies, tokens)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    this.adminToken =
        bootstrapToken.isPresent()
            ? AdminToken.write(config.adminTokenFile(), bootstrapToken.get())
            : AdminToken.read(config.adminTokenFile());
  }

  /** Wires the features to the other replicas: relays, leases and the lease metrics. */
  private void coordinate(ControlPlaneMetrics meters) {
    Leases leases = replica.leases();
    dispatcher.relayThrough(agentRelay());
    events.relayThrough(replica.bus()::applicationChanged);
    driftFeed.relayThrough(
        drifted ->
            replica
                .bus()
                .publish(
                    new ReplicaEvent(
                        ReplicaEvent.Kind.DRIFT,
                        List.of(drifted.cluster()),
                        List.of(drifted.application()),
                        drifted.toJson().encode()))
                .onFailure(e -> LOG.warn("cannot pass drift on to other replicas", e)));
    controller.lockThrough(
        (name, work) -> leases.exclusively(ReplicaFeature.GENERATION + name, work));
    poller.runOnlyWhen(
        () -> leases.holds(ReplicaFeature.GIT_POLLER),
        () ->
            replica
                .bus()
                .publish(ReplicaEvent.poll())
                .onFailure(e -> LOG.warn("cannot ask the polling replica to poll", e)));
    leases.onTaken(
        name -> {
          if (ReplicaFeature.GIT_POLLER.equals(name)) {
            poller.takenOver();
          }
        });
    auditRetention.runOnlyWhen(() -> leases.holds(ReplicaFeature.AUDIT_RETENTION));
    storedCredentials.onChangeHere(
        () ->
            replica
                .bus()
                .publish(ReplicaEvent.credentialsChanged())
                .onFailure(e -> LOG.warn("cannot tell other replicas to reload credentials", e)));
    meters.watchLeases(leases::singletons, leases::holds, leases::workLeases);
    // The safety net under the event log: a replica that stored a change and died before it
    // appended the event leaves agents elsewhere behind until this (sends differences only).
    safetyResync =
        vertx.setPeriodic(
            SAFETY_RESYNC.toMillis(),
            id ->
                dispatcher
                    .clustersChanged(dispatcher.connectedClusters())
                    .onFailure(e -> LOG.warn("periodic resync of connected agents failed", e)));
  }

  /** The way to agents connected to other replicas: through the replicas' event log. */
  private AgentRelay agentRelay() {
    return new AgentRelay() {
      @Override
      public Future<Boolean> connectedElsewhere(String cluster) {
        return clusters.connectedElsewhere(cluster);
      }

      @Override
      public Future<Void> publish(ReplicaEvent event) {
        return replica.bus().publish(event);
      }
    };
  }

  /** What another replica tells this one. */
  private void fromReplica(ReplicaEvent event) {
    switch (event.kind()) {
      case APPLICATIONS_CHANGED -> event.names().forEach(events::changedElsewhere);
      case DRIFT ->
          driftFeed.publishedElsewhere(DriftedObject.fromJson(new JsonObject(event.detail())));
      case POLL -> poller.pollRequestedElsewhere();
      case RESOURCE_REQUEST, RESOURCE_CANCEL -> resourceLink.onReplicaEvent(event);
      case CREDENTIALS_CHANGED ->
          storedCredentials
              .reload()
              .onFailure(e -> LOG.warn("cannot reload stored repository credentials", e));
      default -> dispatcher.onReplicaEvent(event);
    }
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

  /** The web UI beside the REST API, on the same port. */
  private Router ui(
      Router router,
      FeatureServices features,
      ResourceProxyService resourceProxy,
      AuditService auditLog) {
    uiTimer =
        UiFeature.mount(
            router,
            vertx,
            new UiSessionRepository(database.pool(vertx)),
            new UiApplicationRepository(database.pool(vertx)),
            access,
            events,
            features.applications(),
            features.manifests(),
            resourceProxy,
            features.clusters(),
            features.drift(),
            features.projects(),
            features.applicationSets(),
            auditLog,
            clock,
            config.tls() != null);
    return router;
  }

  private void listen(ServerBuilder<?> grpcServer) throws Exception {
    // First: other replicas must see this one alive before it takes leases or agents.
    replica.start();
    IdentityFeature identity =
        new IdentityFeature(users, teams, tokens, policies, access, audit, clock);
    FeatureServices features =
        new FeatureServices(
            new FeatureServices.Parts(
                clusters,
                applications,
                applicationSets,
                projects,
                drift,
                driftFeed,
                events,
                controller,
                dispatcher,
                poller,
                projectGate,
                access,
                audit,
                documents,
                repositories,
                secrets,
                storedCredentials,
                clock));
    ResourceProxyFeature resourceProxy =
        new ResourceProxyFeature(
            vertx, dispatcher, resourceTrees, features.applications(), resourceLink);
    List<Routes> featureRoutes = new ArrayList<>(identity.routes());
    featureRoutes.addAll(resourceProxy.routes());
    RestApi rest =
        new RestApi(
            database,
            access,
            new GitWebhook(config.webhookSecret(), poller),
            features.routes(withAppOfApps(featureRoutes)));
    http =
        vertx
            .createHttpServer(ServerTransports.http(config))
            .requestHandler(
                ui(rest.router(vertx), features, resourceProxy.service(), identity.auditLog()))
            .listen(config.httpPort(), config.bindHost())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    // Before agents can connect: connections do not survive a restart (or a crash).
    liveness.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    HealthStatusManager health = new HealthStatusManager();
    grpc =
        grpcServer
            .addService(agentService)
            .addServices(features.grpcServices(identity.grpcServices(), resourceProxy.grpc()))
            .addService(ProtoReflectionServiceV1.newInstance())
            .addService(health.getHealthService())
            // Agents send nothing near this; the bound both ends of the agent stream agree on.
            .maxInboundMessageSize(dev.flotilla.proto.AgentLimits.MAX_MESSAGE_BYTES)
            .build()
            .start();
    storedCredentials.reload().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    poller.start();
    appOfApps.start();
    auditRetention.start();
    metrics.start();
    syncWindows.start();
    if (replica.leases().holds(ReplicaFeature.GIT_POLLER)) {
      // Once per fleet of replicas: the others are generating already (the poller's replica).
      controller
          .reconcileAll()
          .onFailure(e -> LOG.warn("initial ApplicationSet generation failed", e));
      controller
          .resumeDeletions()
          .onFailure(e -> LOG.warn("resuming ApplicationSet deletions failed", e));
    }
  }

  private List<Routes> withAppOfApps(List<Routes> others) {
    List<Routes> routes = new ArrayList<>(others);
    routes.add(appOfApps.routes());
    return routes;
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
    return http.actualPort();
  }

  public int grpcPort() {
    return grpc.getPort();
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
    return access;
  }

  public UserRepository users() {
    return users;
  }

  public TeamRepository teams() {
    return teams;
  }

  public TokenRepository tokens() {
    return tokens;
  }

  public PolicyRepository policies() {
    return policies;
  }

  public ApplicationSetController controller() {
    return controller;
  }

  public RevisionPoller poller() {
    return poller;
  }

  /** The stored repository credentials as this replica last loaded them (tests). */
  public StoredCredentials storedCredentials() {
    return storedCredentials;
  }

  public ClusterRepository clusters() {
    return clusters;
  }

  public ApplicationRepository applications() {
    return applications;
  }

  /** Notifications of changed Applications (what watches and streams follow). */
  public ApplicationEvents events() {
    return events;
  }

  public ApplicationSetRepository applicationSets() {
    return applicationSets;
  }

  public ProjectRepository projects() {
    return projects;
  }

  public DriftRepository drift() {
    return drift;
  }

  /** Changes of Applications made through this replica or any other (watchers subscribe). */
  public ApplicationEvents applicationEvents() {
    return events;
  }

  public DriftFeed driftFeed() {
    return driftFeed;
  }

  public AgentDispatcher dispatcher() {
    return dispatcher;
  }

  /** This process as one of the control-plane replicas on its database. */
  public ReplicaFeature replica() {
    return replica;
  }

  public Vertx vertx() {
    return vertx;
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
      poller.stop();
      appOfApps.stop();
      auditRetention.close();
      metrics.close();
      syncWindows.stop();
      if (uiTimer >= 0) {
        vertx.cancelTimer(uiTimer);
      }
      liveness.close();
      vertx.cancelTimer(safetyResync);
      replica.close();
      resourceLink.close();
      dispatcher.closeAll();
      if (grpc != null) {
        grpc.shutdownNow();
        grpc.awaitTermination(5, TimeUnit.SECONDS);
      }
      if (http != null) {
        http.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
      gitOps.close();
      gitFetch.close();
      documents.close();
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      // Last, whatever failed before: the embedded PostgreSQL must not outlive the process (no
      // library shutdown hook stops it any more).
      database.close();
    }
  }
}
