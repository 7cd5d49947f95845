package dev.flotilla.controlplane.api;

import dev.flotilla.controlplane.application.ApplicationActions;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.proto.api.v1.Application;
import dev.flotilla.proto.api.v1.ApplicationName;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.HealthStatus;
import dev.flotilla.proto.api.v1.ListApplicationsRequest;
import dev.flotilla.proto.api.v1.ListApplicationsResponse;
import dev.flotilla.proto.api.v1.SyncApplicationRequest;
import dev.flotilla.proto.api.v1.SyncStatus;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;
import java.util.List;

/** {@code flotilla.api.v1.ApplicationService}: the same actions and checks as REST. */
final class ApplicationApi extends ApplicationServiceGrpc.ApplicationServiceImplBase {

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final ApplicationActions actions;
  private final ApplicationEvents events;

  ApplicationApi(ApplicationActions actions, ApplicationEvents events) {
    this.actions = actions;
    this.events = events;
  }

  @Override
  public void list(ListApplicationsRequest r, StreamObserver<ListApplicationsResponse> out) {
    if (r.getPageSize() < 0 || r.getPageSize() > MAX_PAGE) {
      out.onError(
          Status.INVALID_ARGUMENT
              .withDescription("page_size: must be between 0 and " + MAX_PAGE)
              .asRuntimeException());
      return;
    }
    int size = r.getPageSize() == 0 ? DEFAULT_PAGE : r.getPageSize();
    GrpcErrors.reply(
        matching(r),
        apps -> {
          // Names are unique and listed in name order: the page token is the last name returned.
          List<Application> after =
              apps.stream()
                  .filter(
                      a ->
                          r.getPageToken().isEmpty() || a.getName().compareTo(r.getPageToken()) > 0)
                  .toList();
          List<Application> page = after.subList(0, Math.min(size, after.size()));
          var b = ListApplicationsResponse.newBuilder().addAllApplications(page);
          if (after.size() > page.size()) {
            b.setNextPageToken(page.get(page.size() - 1).getName());
          }
          return b.build();
        },
        out);
  }

  @Override
  public void get(ApplicationName r, StreamObserver<Application> out) {
    GrpcErrors.reply(actions.get(r.getName()), ApplicationApi::proto, out);
  }

  @Override
  public void sync(SyncApplicationRequest r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        actions.sync(r.getName(), r.getRevision()), v -> Empty.getDefaultInstance(), out);
  }

  @Override
  public void refresh(ApplicationName r, StreamObserver<Empty> out) {
    GrpcErrors.reply(actions.refresh(r.getName()), v -> Empty.getDefaultInstance(), out);
  }

  /** The matching Applications now, then each change to one of them, until the caller cancels. */
  @Override
  public void watch(ListApplicationsRequest r, StreamObserver<Application> out) {
    ServerCallStreamObserver<Application> call = (ServerCallStreamObserver<Application>) out;
    Object lock = new Object();
    AutoCloseable subscription =
        events.subscribe(
            name ->
                actions
                    .repository()
                    .listViews(name)
                    .map(ApplicationApi::protos)
                    .onSuccess(
                        apps -> {
                          synchronized (lock) {
                            if (call.isCancelled()) {
                              return;
                            }
                            apps.stream().filter(a -> matches(r, a)).forEach(call::onNext);
                          }
                        }));
    call.setOnCancelHandler(
        () -> {
          try {
            subscription.close();
          } catch (Exception ignored) {
            // Nothing to release beyond the listener.
          }
        });
    matching(r)
        .onSuccess(
            apps -> {
              synchronized (lock) {
                if (!call.isCancelled()) {
                  apps.forEach(call::onNext);
                }
              }
            })
        .onFailure(e -> out.onError(GrpcErrors.toStatus(e)));
  }

  private Future<List<Application>> matching(ListApplicationsRequest r) {
    return actions
        .repository()
        .listViews(null)
        .map(ApplicationApi::protos)
        .map(
            apps ->
                apps.stream()
                    .filter(a -> matches(r, a))
                    .sorted(java.util.Comparator.comparing(Application::getName))
                    .toList());
  }

  private static boolean matches(ListApplicationsRequest r, Application a) {
    return (r.getProject().isEmpty() || r.getProject().equals(a.getProject()))
        && (r.getCluster().isEmpty() || r.getCluster().equals(a.getCluster()))
        && (r.getApplicationSet().isEmpty() || r.getApplicationSet().equals(a.getApplicationSet()))
        && (r.getSyncStatus() == SyncStatus.SYNC_STATUS_UNKNOWN
            || r.getSyncStatus() == a.getSyncStatus())
        && (r.getHealth() == HealthStatus.HEALTH_STATUS_UNKNOWN || r.getHealth() == a.getHealth());
  }

  private static Application proto(ApplicationView v) {
    return Protos.application(v, v.spec().encode());
  }

  private static List<Application> protos(List<ApplicationView> views) {
    return views.stream().map(ApplicationApi::proto).toList();
  }
}
