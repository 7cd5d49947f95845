package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.api.Protos;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.proto.api.v1.Application;
import dev.flotilla.proto.api.v1.ApplicationDiff;
import dev.flotilla.proto.api.v1.ApplicationHistory;
import dev.flotilla.proto.api.v1.ApplicationLogsQuery;
import dev.flotilla.proto.api.v1.ApplicationManifestsQuery;
import dev.flotilla.proto.api.v1.ApplicationName;
import dev.flotilla.proto.api.v1.ApplicationOperations;
import dev.flotilla.proto.api.v1.ApplicationResourceQuery;
import dev.flotilla.proto.api.v1.ApplicationResourceTree;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import dev.flotilla.proto.api.v1.ApplyApplicationResponse;
import dev.flotilla.proto.api.v1.ApplyRequest;
import dev.flotilla.proto.api.v1.Commit;
import dev.flotilla.proto.api.v1.CreateApplicationRequest;
import dev.flotilla.proto.api.v1.DeleteApplicationRequest;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.HealthStatus;
import dev.flotilla.proto.api.v1.ListApplicationsRequest;
import dev.flotilla.proto.api.v1.ListApplicationsResponse;
import dev.flotilla.proto.api.v1.LogEntry;
import dev.flotilla.proto.api.v1.PatchApplicationRequest;
import dev.flotilla.proto.api.v1.RefreshApplicationRequest;
import dev.flotilla.proto.api.v1.ResourceEventList;
import dev.flotilla.proto.api.v1.ResourceManifest;
import dev.flotilla.proto.api.v1.RollbackApplicationRequest;
import dev.flotilla.proto.api.v1.RollbackApplicationResponse;
import dev.flotilla.proto.api.v1.SyncApplicationRequest;
import dev.flotilla.proto.api.v1.SyncStatus;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** {@code flotilla.api.v1.ApplicationService} over the same {@link ApplicationService} as REST. */
public final class ApplicationGrpcService
    extends ApplicationServiceGrpc.ApplicationServiceImplBase {

  static final int DEFAULT_PAGE = 100;
  static final int MAX_PAGE = 1000;

  private final ApplicationService applications;
  private final ApplicationManifests manifests;
  private final ApplicationEvents events;

  /** The resource proxy's methods (tree, manifests, diff, object, events, logs). */
  private final ApplicationServiceGrpc.AsyncService resourceProxy;

  public ApplicationGrpcService(
      ApplicationService applications,
      ApplicationManifests manifests,
      ApplicationEvents events,
      ApplicationServiceGrpc.AsyncService resourceProxy) {
    this.applications = applications;
    this.manifests = manifests;
    this.events = events;
    this.resourceProxy = resourceProxy;
  }

  @Override
  public void resourceTree(ApplicationName r, StreamObserver<ApplicationResourceTree> out) {
    resourceProxy.resourceTree(r, out);
  }

  @Override
  public void manifests(
      ApplicationManifestsQuery r,
      StreamObserver<dev.flotilla.proto.api.v1.ApplicationManifests> out) {
    resourceProxy.manifests(r, out);
  }

  @Override
  public void diff(ApplicationName r, StreamObserver<ApplicationDiff> out) {
    resourceProxy.diff(r, out);
  }

  @Override
  public void getResource(ApplicationResourceQuery r, StreamObserver<ResourceManifest> out) {
    resourceProxy.getResource(r, out);
  }

  @Override
  public void resourceEvents(ApplicationResourceQuery r, StreamObserver<ResourceEventList> out) {
    resourceProxy.resourceEvents(r, out);
  }

  @Override
  public void podLogs(ApplicationLogsQuery r, StreamObserver<LogEntry> out) {
    resourceProxy.podLogs(r, out);
  }

  @Override
  public void create(CreateApplicationRequest r, StreamObserver<ApplyApplicationResponse> out) {
    Caller caller = Callers.current();
    GrpcErrors.reply(
        manifests
            .parseText(r.getDocument())
            .compose(doc -> manifests.create(caller, doc, r.getUpsert())),
        ApplicationGrpcService::applied,
        out);
  }

  @Override
  public void apply(ApplyRequest r, StreamObserver<ApplyApplicationResponse> out) {
    Caller caller = Callers.current();
    GrpcErrors.reply(
        manifests.parseText(r.getDocument()).compose(doc -> manifests.apply(caller, doc, null)),
        ApplicationGrpcService::applied,
        out);
  }

  @Override
  public void patch(PatchApplicationRequest r, StreamObserver<ApplyApplicationResponse> out) {
    Caller caller = Callers.current();
    GrpcErrors.reply(
        manifests
            .parseText(r.getMergePatchJson())
            .compose(patch -> manifests.patch(caller, r.getName(), patch)),
        ApplicationGrpcService::applied,
        out);
  }

  @Override
  public void delete(DeleteApplicationRequest r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        manifests.delete(Callers.current(), r.getName(), r.hasCascade() ? r.getCascade() : null),
        v -> Empty.getDefaultInstance(),
        out);
  }

  private static ApplyApplicationResponse applied(ApplicationManifests.Applied a) {
    StoredApplication s = a.application();
    return ApplyApplicationResponse.newBuilder()
        .setName(s.name())
        .setResult(a.outcome().word())
        .setProject(s.project())
        .setCluster(s.cluster() == null ? "" : s.cluster())
        .setDispatchError(s.dispatchError() == null ? "" : s.dispatchError())
        .setDocumentJson(s.document().encode())
        .build();
  }

  @Override
  public void list(ListApplicationsRequest r, StreamObserver<ListApplicationsResponse> out) {
    Caller caller = Callers.current();
    GrpcErrors.replyChecked(
        () ->
            applications.list(
                caller, filter(r), PageRequest.of(r.getPageSize(), r.getPageToken(), "page_size")),
        p ->
            ListApplicationsResponse.newBuilder()
                .addAllApplications(protos(p.items()))
                .setNextPageToken(p.nextPageToken())
                .build(),
        out);
  }

  @Override
  public void get(ApplicationName r, StreamObserver<Application> out) {
    GrpcErrors.reply(
        applications.get(Callers.current(), r.getName()), ApplicationGrpcService::proto, out);
  }

  @Override
  public void sync(SyncApplicationRequest r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        applications.sync(Callers.current(), r.getName(), r.getRevision(), r.getPrune()),
        v -> Empty.getDefaultInstance(),
        out);
  }

  @Override
  public void refresh(RefreshApplicationRequest r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        applications.refresh(Callers.current(), r.getName(), r.getHard()),
        v -> Empty.getDefaultInstance(),
        out);
  }

  @Override
  public void history(ApplicationName r, StreamObserver<ApplicationHistory> out) {
    GrpcErrors.reply(
        applications.history(Callers.current(), r.getName()),
        entries ->
            ApplicationHistory.newBuilder()
                .setName(r.getName())
                .addAllEntries(entries.stream().map(Protos::historyEntry).toList())
                .build(),
        out);
  }

  @Override
  public void rollback(
      RollbackApplicationRequest r, StreamObserver<RollbackApplicationResponse> out) {
    Long id = null;
    String revision = null;
    switch (r.getTargetCase()) {
      case ID -> {
        if (r.getId() <= 0) {
          out.onError(
              Status.INVALID_ARGUMENT
                  .withDescription("id: must be a positive history entry id")
                  .asRuntimeException());
          return;
        }
        id = r.getId();
      }
      case REVISION -> revision = r.getRevision();
      default -> {
        // Neither: the deployment before the newest.
      }
    }
    GrpcErrors.reply(
        applications.rollback(Callers.current(), r.getName(), id, revision),
        target ->
            RollbackApplicationResponse.newBuilder().setTarget(Protos.historyEntry(target)).build(),
        out);
  }

  @Override
  public void terminateOperation(ApplicationName r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        applications.terminateOperation(Callers.current(), r.getName()),
        v -> Empty.getDefaultInstance(),
        out);
  }

  @Override
  public void operations(ApplicationName r, StreamObserver<ApplicationOperations> out) {
    GrpcErrors.reply(
        applications.operations(Callers.current(), r.getName()),
        ops ->
            ApplicationOperations.newBuilder()
                .addAllOperations(ops.stream().map(OperationProtos::operation).toList())
                .build(),
        out);
  }

  /** The matching Applications now, then each change to one of them, until the caller cancels. */
  @Override
  public void watch(ListApplicationsRequest r, StreamObserver<Application> out) {
    ServerCallStreamObserver<Application> call = (ServerCallStreamObserver<Application>) out;
    Caller caller = Callers.current();
    ApplicationFilter filter;
    try {
      filter = filter(r);
    } catch (RuntimeException e) {
      out.onError(GrpcErrors.toStatus(e));
      return;
    }
    Object lock = new Object();
    AutoCloseable subscription =
        events.subscribe(
            name ->
                applications
                    .visible(caller, name)
                    .onSuccess(
                        apps -> {
                          synchronized (lock) {
                            if (call.isCancelled()) {
                              return;
                            }
                            apps.stream()
                                .filter(filter::matches)
                                .map(ApplicationGrpcService::proto)
                                .forEach(call::onNext);
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
    applications
        .list(caller, filter, PageRequest.ALL)
        .onSuccess(
            apps -> {
              synchronized (lock) {
                if (!call.isCancelled()) {
                  protos(apps.items()).forEach(call::onNext);
                }
              }
            })
        .onFailure(e -> out.onError(GrpcErrors.toStatus(e)));
  }

  /** The request's filters; an unset enum means any. */
  private static ApplicationFilter filter(ListApplicationsRequest r) {
    return new ApplicationFilter(
        r.getProject(),
        r.getCluster(),
        r.getApplicationSet(),
        r.getSyncStatus() == SyncStatus.SYNC_STATUS_UNKNOWN
            ? ""
            : Protos.syncName(r.getSyncStatus()),
        r.getHealth() == HealthStatus.HEALTH_STATUS_UNKNOWN ? "" : Protos.healthName(r.getHealth()),
        LabelSelectors.parse(r.getLabelSelector(), "label_selector"));
  }

  private static Application proto(ApplicationView v) {
    Application.Builder b =
        Protos.application(v, v.spec().encode()).toBuilder()
            .setDeployedRevision(v.deployedRevision());
    if (v.operation() != null) {
      b.setOperationState(OperationProtos.operation(v.operation()));
    }
    if (v.commit() != null) {
      b.setCommit(commit(v.commit()));
    }
    return b.build();
  }

  private static Commit commit(io.vertx.core.json.JsonObject c) {
    Commit.Builder b =
        Commit.newBuilder()
            .setSha(c.getString("sha", ""))
            .setAuthor(c.getString("author", ""))
            .setSubject(c.getString("subject", ""));
    if (c.getString("date") != null) {
      b.setCommittedAt(Protos.timestamp(java.time.OffsetDateTime.parse(c.getString("date"))));
    }
    return b.build();
  }

  private static List<Application> protos(List<ApplicationView> views) {
    return views.stream().map(ApplicationGrpcService::proto).toList();
  }
}
