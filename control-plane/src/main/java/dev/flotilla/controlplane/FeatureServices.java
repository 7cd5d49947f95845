package dev.flotilla.controlplane;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.api.PlatformApi;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationManifestRoutes;
import dev.flotilla.controlplane.application.ApplicationManifests;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.ApplicationRoutes;
import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.application.ApplicationStreamRoutes;
import dev.flotilla.controlplane.application.RevisionPoller;
import dev.flotilla.controlplane.application.StandaloneApplicationRepository;
import dev.flotilla.controlplane.appset.ApplicationSetCatalog;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.appset.ApplicationSetRepository;
import dev.flotilla.controlplane.appset.ApplicationSetRoutes;
import dev.flotilla.controlplane.cluster.ClusterRegistry;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.cluster.ClusterRoutes;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.drift.AppProjectTeams;
import dev.flotilla.controlplane.drift.DriftFeed;
import dev.flotilla.controlplane.drift.DriftRepository;
import dev.flotilla.controlplane.drift.DriftRoutes;
import dev.flotilla.controlplane.drift.DriftService;
import dev.flotilla.controlplane.project.ProjectCatalog;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.controlplane.project.ProjectRoutes;
import dev.flotilla.controlplane.repository.CredentialRepository;
import dev.flotilla.controlplane.repository.RepositoryGrpcService;
import dev.flotilla.controlplane.repository.RepositoryRoutes;
import dev.flotilla.controlplane.repository.RepositoryService;
import dev.flotilla.controlplane.repository.StoredCredentials;
import dev.flotilla.controlplane.rest.Routes;
import dev.flotilla.controlplane.secret.SecretBox;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Each feature's service (RBAC and audit), built once and shared by its REST routes and its gRPC
 * service, so both entry points make the same decisions.
 */
final class FeatureServices {

  private final AccessControl access;
  private final ApplicationEvents events;
  private final ClusterRegistry clusters;
  private final ApplicationService applications;
  private final ApplicationManifests manifests;
  private final ApplicationSetCatalog applicationSets;
  private final ProjectCatalog projects;
  private final DriftService drift;
  private final RepositoryService repositories;

  /** The stores and engines the services sit on, as {@link ControlPlane} built them. */
  record Parts(
      ClusterRepository clusters,
      ApplicationRepository applications,
      ApplicationSetRepository applicationSets,
      ProjectRepository projects,
      DriftRepository drift,
      DriftFeed driftFeed,
      ApplicationEvents events,
      ApplicationSetController controller,
      AgentDispatcher dispatcher,
      RevisionPoller poller,
      ProjectGate projectGate,
      AccessControl access,
      Audit audit,
      WorkerExecutor documents,
      CredentialRepository repositories,
      SecretBox secrets,
      StoredCredentials storedCredentials,
      Clock clock) {}

  FeatureServices(Parts p) {
    this.access = p.access();
    this.events = p.events();
    this.clusters = new ClusterRegistry(p.clusters(), p.controller(), p.dispatcher(), p.audit());
    this.applications =
        new ApplicationService(
            p.applications(), p.dispatcher(), p.poller(), p.audit(), p.projectGate(), p.clock());
    this.manifests =
        new ApplicationManifests(
            new StandaloneApplicationRepository(p.applications().pool()),
            p.clusters(),
            p.projectGate(),
            p.dispatcher(),
            p.events(),
            p.audit(),
            p.documents());
    this.applicationSets =
        new ApplicationSetCatalog(p.applicationSets(), p.controller(), p.audit(), p.documents());
    this.projects =
        new ProjectCatalog(
            p.projects(),
            p.applications(),
            p.controller(),
            p.dispatcher(),
            p.audit(),
            p.access(),
            p.documents());
    this.drift = new DriftService(p.drift(), p.driftFeed(), new AppProjectTeams(p.projects()));
    this.repositories =
        new RepositoryService(p.repositories(), p.secrets(), p.audit(), p.storedCredentials());
  }

  /** The Applications service, shared with the web UI. */
  ApplicationService applications() {
    return applications;
  }

  /** Applications created by hand (apply, delete), shared with the web UI's Delete. */
  ApplicationManifests manifests() {
    return manifests;
  }

  /** The clusters service, shared with the web UI. */
  ClusterRegistry clusters() {
    return clusters;
  }

  /** The drift report service, shared with the web UI. */
  DriftService drift() {
    return drift;
  }

  /** The AppProjects service, shared with the web UI. */
  ProjectCatalog projects() {
    return projects;
  }

  /** The ApplicationSets service, shared with the web UI. */
  ApplicationSetCatalog applicationSets() {
    return applicationSets;
  }

  /** Every feature's REST routes, plus {@code others} (features wired elsewhere). */
  List<Routes> routes(List<Routes> others) {
    List<Routes> routes = new ArrayList<>();
    routes.add(new ClusterRoutes(clusters));
    routes.add(new ApplicationRoutes(applications));
    routes.add(new ApplicationStreamRoutes(applications, events));
    routes.add(new ApplicationManifestRoutes(manifests));
    routes.add(new ApplicationSetRoutes(applicationSets));
    routes.add(new ProjectRoutes(projects));
    routes.add(new RepositoryRoutes(repositories));
    routes.addAll(others);
    routes.add(new DriftRoutes(drift));
    return routes;
  }

  /**
   * The platform API's gRPC services over the same services as {@link #routes}, plus {@code others}
   * (features wired elsewhere).
   */
  List<ServerServiceDefinition> grpcServices(
      List<BindableService> others, ApplicationServiceGrpc.AsyncService resourceProxy) {
    List<BindableService> more = new ArrayList<>(others);
    more.add(new RepositoryGrpcService(repositories));
    return PlatformApi.services(
        access,
        clusters,
        applications,
        manifests,
        events,
        resourceProxy,
        applicationSets,
        projects,
        drift,
        more);
  }
}
