package dev.flotilla.controlplane.appofapps;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.application.RevisionPoller;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.git.GitFetcher;
import dev.flotilla.controlplane.project.ProjectCatalog;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.controlplane.rest.Routes;
import dev.flotilla.render.RenderLimits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;

/** App of Apps, wired: the controller, its REST routes and the bootstrap root. */
public final class AppOfAppsFeature {

  /** What the feature sits on, as the control plane built it. */
  public record Parts(
      Vertx vertx,
      WorkerExecutor gitOps,
      WorkerExecutor documents,
      GitFetcher git,
      ApplicationRepository applications,
      ProjectRepository projects,
      ProjectGate projectGate,
      ApplicationSetController appSets,
      ClusterRepository clusters,
      AgentDispatcher dispatcher,
      ApplicationEvents events,
      RevisionPoller poller,
      Audit audit,
      AccessControl access,
      Clock clock,
      Duration interval) {}

  /** The root App of Apps {@code --bootstrap} declares. */
  public static final String BOOTSTRAP_APPLICATION = BootstrapRoot.NAME;

  private final AppOfAppsRepository repository;
  private final AppOfAppsController controller;
  private final AppOfAppsService service;
  private final BootstrapRoot bootstrap;

  public AppOfAppsFeature(Parts p) {
    this.repository = new AppOfAppsRepository(p.applications());
    ProjectCatalog projects =
        new ProjectCatalog(
            p.projects(),
            p.applications(),
            p.appSets(),
            p.dispatcher(),
            p.audit(),
            p.access(),
            p.documents());
    ChildWriter writer =
        new ChildWriter(
            repository,
            projects,
            p.projectGate(),
            p.appSets(),
            p.clusters(),
            p.dispatcher(),
            p.events());
    this.controller =
        new AppOfAppsController(
            p.vertx(),
            p.gitOps(),
            p.git(),
            repository,
            p.projects(),
            p.projectGate(),
            new ParentManifests(p.git().repositories(), RenderLimits.DEFAULT),
            writer,
            p.interval());
    this.service =
        new AppOfAppsService(
            new ApplicationService(
                p.applications(),
                p.dispatcher(),
                p.poller(),
                p.audit(),
                p.projectGate(),
                p.clock()),
            repository,
            controller,
            p.audit());
    this.bootstrap = new BootstrapRoot(p.applications(), repository, p.events());
  }

  /** Sweeps every 5 seconds (each reads one number per Application), or as often as Git polls. */
  public static Duration sweepInterval(Duration gitPoll) {
    Duration five = Duration.ofSeconds(5);
    return gitPoll.compareTo(five) < 0 ? gitPoll : five;
  }

  public void start() {
    controller.start();
  }

  public void stop() {
    controller.stop();
  }

  public Routes routes() {
    return new AppOfAppsRoutes(service);
  }

  /** What a parent declared, for the web UI (as the REST {@code children} endpoint says it). */
  public AppOfAppsService service() {
    return service;
  }

  public AppOfAppsController controller() {
    return controller;
  }

  public AppOfAppsRepository repository() {
    return repository;
  }

  /**
   * Declares (or updates) the root App of Apps {@value #BOOTSTRAP_APPLICATION} reading {@code
   * source}, and reads it at once.
   */
  public Future<Void> bootstrap(BootstrapSource source) {
    return bootstrap.declare(source).compose(v -> controller.sweep());
  }
}
