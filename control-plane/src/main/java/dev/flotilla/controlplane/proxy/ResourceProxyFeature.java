package dev.flotilla.controlplane.proxy;

import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.rest.Routes;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/**
 * The resource proxy wired: its broker listens to what agents send (answers, statuses with their
 * trees, disconnections) and its service serves REST and the Application gRPC service's proxy
 * methods.
 */
public final class ResourceProxyFeature {

  private final ResourceProxyService service;

  public ResourceProxyFeature(
      Vertx vertx,
      AgentDispatcher dispatcher,
      ResourceTreeRepository trees,
      ApplicationService applications) {
    this(vertx, dispatcher, trees, applications, ResourceProxyLimits.ANSWER_TIMEOUT);
  }

  public ResourceProxyFeature(
      Vertx vertx,
      AgentDispatcher dispatcher,
      ResourceTreeRepository trees,
      ApplicationService applications,
      Duration answerTimeout) {
    ResourceBroker broker =
        new ResourceBroker(vertx, ResourceBroker.AgentLink.of(dispatcher), answerTimeout);
    this.service = new ResourceProxyService(applications, broker, trees);
    dispatcher.relayResources(service);
  }

  public ResourceProxyService service() {
    return service;
  }

  public List<Routes> routes() {
    return List.of(new ResourceProxyRoutes(service));
  }

  /** The proxy methods of the Application gRPC service. */
  public ApplicationServiceGrpc.AsyncService grpc() {
    return new ResourceProxyGrpc(service);
  }
}
