package dev.flotilla.controlplane;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.FleetApplicationRepository;
import dev.flotilla.controlplane.application.RevisionPoller;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.appset.ApplicationSetRepository;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.dispatch.AgentLiveness;
import dev.flotilla.controlplane.dispatch.AgentService;
import dev.flotilla.controlplane.dispatch.SyncWindowTicker;
import dev.flotilla.controlplane.drift.DriftFeed;
import dev.flotilla.controlplane.drift.DriftRepository;
import dev.flotilla.controlplane.git.GitFetcher;
import dev.flotilla.controlplane.git.GitRepositories;
import dev.flotilla.controlplane.identity.AuditRepository;
import dev.flotilla.controlplane.identity.AuditRetention;
import dev.flotilla.controlplane.identity.EnforcerLoader;
import dev.flotilla.controlplane.identity.PolicyRepository;
import dev.flotilla.controlplane.identity.TeamRepository;
import dev.flotilla.controlplane.identity.TokenRepository;
import dev.flotilla.controlplane.identity.UserRepository;
import dev.flotilla.controlplane.metrics.ControlPlaneMetrics;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.controlplane.proxy.ResourceTreeRepository;
import dev.flotilla.controlplane.replica.ReplicaEvent;
import dev.flotilla.controlplane.replica.ReplicaFeature;
import dev.flotilla.controlplane.repository.CredentialRepository;
import dev.flotilla.controlplane.repository.StoredCredentials;
import dev.flotilla.controlplane.secret.SecretBox;
import dev.flotilla.controlplane.secret.SecretKeys;
import dev.flotilla.controlplane.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stores, engines and worker pools every feature of one control plane sits on, built once in
 * dependency order. Building starts nothing: {@link ControlPlane} coordinates them with the other
 * replicas ({@link ReplicaWiring}), listens ({@link ControlPlaneListeners}), then starts them.
 */
final class ControlPlaneParts {

  /** Where every decision and stored timestamp of this control plane takes its time from. */
  final Clock clock = Clock.systemUTC();

  final Vertx vertx;
  final Pool pool;
  final WorkerExecutor gitOps;
  final WorkerExecutor gitFetch;
  final WorkerExecutor documents;
  final AgentDispatcher dispatcher;
  final ReplicaFeature replica;
  final ClusterRepository clusters;
  final ResourceTreeRepository resourceTrees;
  final ApplicationRepository applications;
  final ApplicationSetRepository applicationSets;
  final DriftRepository drift;
  final CredentialRepository repositories;
  final SecretBox secrets;
  final StoredCredentials storedCredentials;
  final GitFetcher git;
  final ProjectRepository projects;
  final ProjectGate projectGate;
  final SyncWindowTicker syncWindows;
  final ApplicationEvents events = new ApplicationEvents();
  final DriftFeed driftFeed = new DriftFeed();
  final AgentLiveness liveness;
  final AgentService agentService;
  final ApplicationSetController controller;
  final RevisionPoller poller;
  final UserRepository users;
  final TeamRepository teams;
  final TokenRepository tokens;
  final PolicyRepository policies;
  final AccessControl access;
  final AuditRepository auditLog;
  final Audit audit;
  final AuditRetention auditRetention;

  /** {@code fromReplicas} hears the other replicas once {@link ReplicaFeature#start} ran. */
  ControlPlaneParts(
      ControlPlaneConfig config,
      Database database,
      ControlPlaneMetrics meters,
      Consumer<ReplicaEvent> fromReplicas)
      throws Exception {
    this.vertx = meters.newVertx();
    this.pool = database.pool(vertx);
    this.gitOps = vertx.createSharedWorkerExecutor(ControlPlane.GIT_POOL, 4, 10, TimeUnit.MINUTES);
    this.gitFetch =
        vertx.createSharedWorkerExecutor(ControlPlane.GIT_FETCH_POOL, 8, 10, TimeUnit.MINUTES);
    this.documents =
        vertx.createSharedWorkerExecutor(ControlPlane.DOCUMENTS_POOL, 2, 1, TimeUnit.MINUTES);
    this.dispatcher = new AgentDispatcher();
    this.replica =
        new ReplicaFeature(
            vertx, database.coordinationPool(vertx), database.connectOptions(), fromReplicas);
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
    this.git =
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
  }
}
