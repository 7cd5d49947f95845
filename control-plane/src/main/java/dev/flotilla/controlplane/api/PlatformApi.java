package dev.flotilla.controlplane.api;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.application.ApplicationActions;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.appset.ApplicationSetCatalog;
import dev.flotilla.controlplane.cluster.ClusterRegistry;
import dev.flotilla.controlplane.drift.DriftFeed;
import dev.flotilla.controlplane.drift.DriftRepository;
import dev.flotilla.controlplane.drift.ProjectTeams;
import dev.flotilla.controlplane.project.ProjectCatalog;
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
      ApplicationActions applications,
      ApplicationEvents events,
      ApplicationSetCatalog applicationSets,
      ProjectCatalog projects,
      DriftRepository drift,
      DriftFeed driftFeed,
      ProjectTeams teams,
      List<BindableService> more) {
    BearerAuthInterceptor auth = new BearerAuthInterceptor(access);
    // The last interceptor runs first: authentication, then the NUL check.
    NulFreeInterceptor nulFree = new NulFreeInterceptor();
    List<ServerServiceDefinition> services =
        new ArrayList<>(
            List.of(
                ServerInterceptors.intercept(new ClusterApi(clusters), nulFree, auth),
                ServerInterceptors.intercept(
                    new ApplicationApi(applications, events), nulFree, auth),
                ServerInterceptors.intercept(new ApplicationSetApi(applicationSets), nulFree, auth),
                ServerInterceptors.intercept(new ProjectApi(projects), nulFree, auth),
                ServerInterceptors.intercept(
                    new DriftServiceApi(drift, driftFeed, teams), nulFree, auth)));
    // Features that keep their gRPC service in their own package (identity) pass it in.
    more.forEach(s -> services.add(ServerInterceptors.intercept(s, nulFree, auth)));
    return services;
  }
}
