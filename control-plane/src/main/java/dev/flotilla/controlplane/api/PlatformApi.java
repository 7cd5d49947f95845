package dev.flotilla.controlplane.api;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationGrpcService;
import dev.flotilla.controlplane.application.ApplicationManifests;
import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.appset.ApplicationSetCatalog;
import dev.flotilla.controlplane.appset.ApplicationSetGrpcService;
import dev.flotilla.controlplane.cluster.ClusterGrpcService;
import dev.flotilla.controlplane.cluster.ClusterRegistry;
import dev.flotilla.controlplane.drift.DriftGrpcService;
import dev.flotilla.controlplane.drift.DriftService;
import dev.flotilla.controlplane.project.ProjectCatalog;
import dev.flotilla.controlplane.project.ProjectGrpcService;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.util.ArrayList;
import java.util.List;

/** The {@code flotilla.api.v1} services, each behind bearer-token authentication. */
public final class PlatformApi {

  private PlatformApi() {}

  public static List<ServerServiceDefinition> services(
      AccessControl access,
      ClusterRegistry clusters,
      ApplicationService applications,
      ApplicationManifests manifests,
      ApplicationEvents events,
      ApplicationServiceGrpc.AsyncService resourceProxy,
      ApplicationSetCatalog applicationSets,
      ProjectCatalog projects,
      DriftService drift,
      List<BindableService> more) {
    BearerAuthInterceptor auth = new BearerAuthInterceptor(access);
    // The last interceptor runs first: authentication, then the NUL check.
    NulFreeInterceptor nulFree = new NulFreeInterceptor();
    List<ServerServiceDefinition> services =
        new ArrayList<>(
            List.of(
                ServerInterceptors.intercept(new ClusterGrpcService(clusters), nulFree, auth),
                ServerInterceptors.intercept(
                    new ApplicationGrpcService(applications, manifests, events, resourceProxy),
                    nulFree,
                    auth),
                ServerInterceptors.intercept(
                    new ApplicationSetGrpcService(applicationSets), nulFree, auth),
                ServerInterceptors.intercept(new ProjectGrpcService(projects), nulFree, auth),
                ServerInterceptors.intercept(new DriftGrpcService(drift), nulFree, auth)));
    // Features that keep their gRPC service in their own package (identity) pass it in.
    more.forEach(s -> services.add(ServerInterceptors.intercept(s, nulFree, auth)));
    return services;
  }
}
