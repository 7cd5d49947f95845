package dev.flotilla.controlplane.proxy;

import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.rest.Routes;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The resource proxy wired: its broker listens to what agents send (answers, statuses with their
 * trees, disconnections) and its service serves REST and the Application gRPC service's proxy
 * methods.
 */
public final class ResourceProxyFeature {

  private final ResourceProxyService service;

  /** Agents reached on this replica and, through {@code link}, on the others. */
  public ResourceProxyFeature(
      Vertx vertx,
      AgentDispatcher dispatcher,
      ResourceTreeRepository trees,
      ApplicationService applications,
      ReplicaResourceLink link) {
    ResourceBroker broker = new ResourceBroker(vertx, link, ResourceProxyLimits.ANSWER_TIMEOUT);
    link.deliverTo(broker::answered);
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
