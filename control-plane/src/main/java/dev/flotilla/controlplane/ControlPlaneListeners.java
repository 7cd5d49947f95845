package dev.flotilla.controlplane;

import dev.flotilla.controlplane.appofapps.AppOfAppsFeature;
import dev.flotilla.controlplane.identity.AuditService;
import dev.flotilla.controlplane.identity.IdentityFeature;
import dev.flotilla.controlplane.proxy.ReplicaResourceLink;
import dev.flotilla.controlplane.proxy.ResourceProxyFeature;
import dev.flotilla.controlplane.proxy.ResourceProxyService;
import dev.flotilla.controlplane.rest.GitWebhook;
import dev.flotilla.controlplane.rest.RestApi;
import dev.flotilla.controlplane.rest.Routes;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.controlplane.ui.UiApplicationRepository;
import dev.flotilla.controlplane.ui.UiFeature;
import dev.flotilla.controlplane.ui.UiSessionRepository;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The two listeners of one control plane: HTTP (REST API, web UI and App of Apps routes on one
 * port) and gRPC (agent protocol, platform API, health, reflection).
 */
final class ControlPlaneListeners {

  private final ControlPlaneConfig config;
  private final Database database;
  private final ControlPlaneParts parts;
  private final ReplicaResourceLink resourceLink;
  private final AppOfAppsFeature appOfApps;
  private long uiTimer = -1;
  private HttpServer http;
  private Server grpc;

  ControlPlaneListeners(
      ControlPlaneConfig config,
      Database database,
      ControlPlaneParts parts,
      ReplicaResourceLink resourceLink,
      AppOfAppsFeature appOfApps) {
    this.config = config;
    this.database = database;
    this.parts = parts;
    this.resourceLink = resourceLink;
    this.appOfApps = appOfApps;
  }

  /**
   * Builds the services and binds HTTP, then gRPC on {@code grpcServer}. What is bound before a
   * failure stays recorded here, so that {@link #close} releases it.
   */
  void open(ServerBuilder<?> grpcServer) throws Exception {
    IdentityFeature identity =
        new IdentityFeature(
            parts.users,
            parts.teams,
            parts.tokens,
            parts.policies,
            parts.access,
            parts.audit,
            parts.clock);
    FeatureServices features =
        new FeatureServices(
            new FeatureServices.Parts(
                parts.clusters,
                parts.applications,
                parts.applicationSets,
                parts.projects,
                parts.drift,
                parts.driftFeed,
                parts.events,
                parts.controller,
                parts.dispatcher,
                parts.poller,
                parts.projectGate,
                parts.access,
                parts.audit,
                parts.documents,
                parts.repositories,
                parts.secrets,
                parts.storedCredentials,
                parts.clock));
    ResourceProxyFeature resourceProxy =
        new ResourceProxyFeature(
            parts.vertx,
            parts.dispatcher,
            parts.resourceTrees,
            features.applications(),
            resourceLink);
    List<Routes> featureRoutes = new ArrayList<>(identity.routes());
    featureRoutes.addAll(resourceProxy.routes());
    RestApi rest =
        new RestApi(
            database,
            parts.access,
            new GitWebhook(config.webhookSecret(), parts.poller),
            features.routes(withAppOfApps(featureRoutes)));
    http =
        parts
            .vertx
            .createHttpServer(ServerTransports.http(config))
            .requestHandler(
                ui(
                    rest.router(parts.vertx),
                    features,
                    resourceProxy.service(),
                    identity.auditLog()))
            .listen(config.httpPort(), config.bindHost())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    // Before agents can connect: connections do not survive a restart (or a crash).
    parts.liveness.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    HealthStatusManager health = new HealthStatusManager();
    grpc =
        grpcServer
            .addService(parts.agentService)
            .addServices(features.grpcServices(identity.grpcServices(), resourceProxy.grpc()))
            .addService(ProtoReflectionServiceV1.newInstance())
            .addService(health.getHealthService())
            // Agents send nothing near this; the bound both ends of the agent stream agree on.
            .maxInboundMessageSize(dev.flotilla.proto.AgentLimits.MAX_MESSAGE_BYTES)
            .build()
            .start();
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
            parts.vertx,
            new UiSessionRepository(database.pool(parts.vertx)),
            new UiApplicationRepository(database.pool(parts.vertx)),
            parts.access,
            parts.events,
            features.applications(),
            features.manifests(),
            resourceProxy,
            features.clusters(),
            features.drift(),
            features.projects(),
            features.applicationSets(),
            auditLog,
            appOfApps.service()::declared,
            parts.clock,
            config.tls() != null);
    return router;
  }

  private List<Routes> withAppOfApps(List<Routes> others) {
    List<Routes> routes = new ArrayList<>(others);
    routes.add(appOfApps.routes());
    return routes;
  }

  int httpPort() {
    return http.actualPort();
  }

  int grpcPort() {
    return grpc.getPort();
  }

  /** Stops the web UI's timer; the HTTP server itself closes later, in {@link #close}. */
  void stopUi() {
    if (uiTimer >= 0) {
      parts.vertx.cancelTimer(uiTimer);
    }
  }

  /** Closes gRPC, then HTTP: whichever of them was bound. */
  void close() throws Exception {
    if (grpc != null) {
      grpc.shutdownNow();
      grpc.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (http != null) {
      http.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
  }
}
