package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationManifests;
import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.appset.ApplicationSetCatalog;
import dev.flotilla.controlplane.cluster.ClusterRegistry;
import dev.flotilla.controlplane.drift.DriftService;
import dev.flotilla.controlplane.identity.AuditService;
import dev.flotilla.controlplane.project.ProjectCatalog;
import dev.flotilla.controlplane.proxy.ResourceProxyService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The web UI, served by the control plane on its REST port at {@code /} (the API stays under {@code
 * /api/v1}); every asset comes from the jar, nothing from the internet.
 */
public final class UiFeature {

  private static final Duration FORGET_EVERY = Duration.ofMinutes(10);

  private UiFeature() {}

  /**
   * Mounts the UI on {@code router}.
   *
   * @param tls whether the server speaks HTTPS (the session cookie is then {@code Secure})
   * @return the timer that forgets expired sessions, for the caller to cancel on close
   */
  public static long mount(
      Router router,
      Vertx vertx,
      UiSessionRepository sessionRows,
      UiApplicationRepository summaries,
      AccessControl access,
      ApplicationEvents events,
      ApplicationService applications,
      ApplicationManifests manifests,
      ResourceProxyService resourceProxy,
      ClusterRegistry clusters,
      DriftService drift,
      ProjectCatalog projects,
      ApplicationSetCatalog applicationSets,
      AuditService auditLog,
      ParentChildren parents,
      Clock clock,
      boolean tls) {
    UiTemplates templates = new UiTemplates();
    UiSessions sessions = new UiSessions(sessionRows, access, clock, UiSessions.MAX_AGE);
    new UiRoutes(
            sessions,
            templates,
            tls,
            new UiApplicationPages(
                applications,
                summaries,
                resourceProxy,
                parents,
                templates,
                clock,
                new UiApplicationActions(applications, manifests, resourceProxy, templates)),
            new UiEvents(vertx, events, summaries, sessions, clock),
            List.of(
                new UiClusterPages(clusters, summaries, templates, clock),
                new UiDriftPages(drift, templates, clock),
                new UiProjectPages(projects, templates, clock),
                new UiApplicationSetPages(applicationSets, summaries, templates, clock),
                new UiAuditPages(auditLog, templates),
                new UiResourcePages(applications, resourceProxy, templates)))
        .mount(router);
    return vertx.setPeriodic(FORGET_EVERY.toMillis(), t -> sessions.forgetExpired());
  }
}
