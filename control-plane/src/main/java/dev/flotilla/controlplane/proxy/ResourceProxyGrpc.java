package dev.flotilla.controlplane.proxy;

import com.google.protobuf.Timestamp;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.proto.agent.v1.LogOptions;
import dev.flotilla.proto.agent.v1.ObjectDiff;
import dev.flotilla.proto.agent.v1.ObjectEvent;
import dev.flotilla.proto.agent.v1.ObjectRef;
import dev.flotilla.proto.agent.v1.ProxiedObject;
import dev.flotilla.proto.api.v1.ApplicationDiff;
import dev.flotilla.proto.api.v1.ApplicationLogsQuery;
import dev.flotilla.proto.api.v1.ApplicationManifests;
import dev.flotilla.proto.api.v1.ApplicationManifestsQuery;
import dev.flotilla.proto.api.v1.ApplicationName;
import dev.flotilla.proto.api.v1.ApplicationResourceQuery;
import dev.flotilla.proto.api.v1.ApplicationResourceTree;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import dev.flotilla.proto.api.v1.HealthStatus;
import dev.flotilla.proto.api.v1.LogEntry;
import dev.flotilla.proto.api.v1.ResourceDiff;
import dev.flotilla.proto.api.v1.ResourceEvent;
import dev.flotilla.proto.api.v1.ResourceEventList;
import dev.flotilla.proto.api.v1.ResourceManifest;
import dev.flotilla.proto.api.v1.ResourceTreeNode;
import dev.flotilla.proto.api.v1.SyncStatus;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The resource proxy's methods of {@code flotilla.api.v1.ApplicationService}, over the same {@link
 * ResourceProxyService} as REST; the Application service's gRPC class hands these calls here.
 */
public final class ResourceProxyGrpc implements ApplicationServiceGrpc.AsyncService {

  private final ResourceProxyService proxy;

  public ResourceProxyGrpc(ResourceProxyService proxy) {
    this.proxy = proxy;
  }

  @Override
  public void resourceTree(ApplicationName r, StreamObserver<ApplicationResourceTree> out) {
    GrpcErrors.reply(
        proxy.resourceTree(Callers.current(), r.getName()), ResourceProxyGrpc::tree, out);
  }

  @Override
  public void manifests(ApplicationManifestsQuery r, StreamObserver<ApplicationManifests> out) {
    GrpcErrors.reply(
        proxy.manifests(Callers.current(), r.getName(), r.getSource()),
        answer -> {
          ApplicationManifests.Builder b =
              ApplicationManifests.newBuilder()
                  .setName(r.getName())
                  .setSource(r.getSource().isEmpty() ? "git" : r.getSource())
                  .setRevision(answer.getRevision());
          answer.getObjectsList().forEach(o -> b.addManifests(manifest(o)));
          return b.build();
        },
        out);
  }

  @Override
  public void diff(ApplicationName r, StreamObserver<ApplicationDiff> out) {
    GrpcErrors.reply(
        proxy.diff(Callers.current(), r.getName()),
        answer -> {
          ApplicationDiff.Builder b =
              ApplicationDiff.newBuilder().setName(r.getName()).setRevision(answer.getRevision());
          for (ObjectDiff d : answer.getDiffsList()) {
            b.setModified(b.getModified() || d.getModified());
            b.addResources(
                ResourceDiff.newBuilder()
                    .setGroup(d.getRef().getGroup())
                    .setVersion(d.getVersion())
                    .setKind(d.getRef().getKind())
                    .setNamespace(d.getRef().getNamespace())
                    .setName(d.getRef().getName())
                    .setModified(d.getModified())
                    .setDesiredYaml(d.getDesiredYaml())
                    .setLiveYaml(d.getLiveYaml())
                    .setUnifiedDiff(d.getUnifiedDiff()));
          }
          return b.build();
        },
        out);
  }

  @Override
  public void getResource(ApplicationResourceQuery r, StreamObserver<ResourceManifest> out) {
    GrpcErrors.reply(
        proxy.resource(Callers.current(), r.getName(), ref(r)),
        answer -> manifest(answer.getObjects(0)),
        out);
  }

  @Override
  public void resourceEvents(ApplicationResourceQuery r, StreamObserver<ResourceEventList> out) {
    GrpcErrors.reply(
        proxy.events(Callers.current(), r.getName(), ref(r)),
        answer -> {
          ResourceEventList.Builder b = ResourceEventList.newBuilder();
          for (ObjectEvent e : answer.getEventsList()) {
            b.addEvents(
                ResourceEvent.newBuilder()
                    .setType(e.getType())
                    .setReason(e.getReason())
                    .setMessage(e.getMessage())
                    .setCount(e.getCount())
                    .setFirstSeen(time(e.getFirstSeenUnixMs()))
                    .setLastSeen(time(e.getLastSeenUnixMs()))
                    .setSource(e.getSource()));
          }
          return b.build();
        },
        out);
  }

  @Override
  public void podLogs(ApplicationLogsQuery r, StreamObserver<LogEntry> out) {
    ObjectRef ref =
        ObjectRef.newBuilder()
            .setGroup(r.getGroup())
            .setKind(r.getKind())
            .setNamespace(r.getNamespace())
            .setName(r.getResourceName())
            .build();
    LogOptions options =
        LogOptions.newBuilder()
            .setContainer(r.getContainer())
            .setTailLines(r.getTailLines())
            .setSinceSeconds(r.getSinceSeconds())
            .build();
    var caller = Callers.current();
    if (!r.getFollow()) {
      proxy
          .logs(caller, r.getName(), ref, options)
          .onComplete(
              ar -> {
                if (ar.failed()) {
                  out.onError(GrpcErrors.toStatus(ar.cause()));
                  return;
                }
                ar.result().getLogLinesList().forEach(l -> out.onNext(entry(l)));
                out.onCompleted();
              });
      return;
    }
    ServerCallStreamObserver<LogEntry> call = (ServerCallStreamObserver<LogEntry>) out;
    Promise<Void> cancel = Promise.promise();
    call.setOnCancelHandler(cancel::tryComplete);
    proxy
        .followLogs(
            caller,
            r.getName(),
            ref,
            options,
            line -> {
              synchronized (call) {
                if (!call.isCancelled()) {
                  call.onNext(entry(line));
                }
              }
            },
            cancel.future())
        .onComplete(
            ar -> {
              synchronized (call) {
                if (call.isCancelled()) {
                  return;
                }
                if (ar.failed()) {
                  call.onError(GrpcErrors.toStatus(ar.cause()));
                } else {
                  call.onCompleted();
                }
              }
            });
  }

  private static LogEntry entry(dev.flotilla.proto.agent.v1.LogLine l) {
    return LogEntry.newBuilder()
        .setPod(l.getPod())
        .setContainer(l.getContainer())
        .setText(l.getText())
        .build();
  }

  private static ObjectRef ref(ApplicationResourceQuery r) {
    return ObjectRef.newBuilder()
        .setGroup(r.getGroup())
        .setKind(r.getKind())
        .setNamespace(r.getNamespace())
        .setName(r.getResourceName())
        .build();
  }

  private static ResourceManifest manifest(ProxiedObject o) {
    return ResourceManifest.newBuilder()
        .setGroup(o.getRef().getGroup())
        .setVersion(o.getVersion())
        .setKind(o.getRef().getKind())
        .setNamespace(o.getRef().getNamespace())
        .setName(o.getRef().getName())
        .setManifestJson(o.getJson())
        .build();
  }

  private static ApplicationResourceTree tree(JsonObject t) {
    ApplicationResourceTree.Builder b =
        ApplicationResourceTree.newBuilder()
            .setName(t.getString("name"))
            .setOmitted(t.getInteger("omitted", 0));
    if (t.getString("observedAt") != null) {
      b.setObservedAt(time(Instant.parse(t.getString("observedAt")).toEpochMilli()));
    }
    var nodes = t.getJsonArray("nodes");
    for (int i = 0; i < nodes.size(); i++) {
      JsonObject n = nodes.getJsonObject(i);
      ResourceTreeNode.Builder node =
          ResourceTreeNode.newBuilder()
              .setGroup(n.getString("group", ""))
              .setVersion(n.getString("version", ""))
              .setKind(n.getString("kind", ""))
              .setNamespace(n.getString("namespace", ""))
              .setName(n.getString("name", ""))
              .setUid(n.getString("uid", ""))
              .setHealth(health(n.getString("health", "")))
              .setHealthMessage(n.getString("healthMessage", ""))
              .setManaged(n.getBoolean("managed", false))
              .setSyncStatus(sync(n.getString("sync", "")));
      n.getJsonArray("parentUids", new io.vertx.core.json.JsonArray())
          .forEach(u -> node.addParentUids(String.valueOf(u)));
      b.addNodes(node);
    }
    return b.build();
  }

  private static HealthStatus health(String name) {
    return switch (name) {
      case "Healthy" -> HealthStatus.HEALTH_STATUS_HEALTHY;
      case "Progressing" -> HealthStatus.HEALTH_STATUS_PROGRESSING;
      case "Degraded" -> HealthStatus.HEALTH_STATUS_DEGRADED;
      case "Suspended" -> HealthStatus.HEALTH_STATUS_SUSPENDED;
      case "Missing" -> HealthStatus.HEALTH_STATUS_MISSING;
      default -> HealthStatus.HEALTH_STATUS_UNKNOWN;
    };
  }

  private static SyncStatus sync(String name) {
    return switch (name) {
      case "Synced" -> SyncStatus.SYNC_STATUS_SYNCED;
      case "OutOfSync" -> SyncStatus.SYNC_STATUS_OUT_OF_SYNC;
      default -> SyncStatus.SYNC_STATUS_UNKNOWN;
    };
  }

  private static Timestamp time(long millis) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(millis, 1000))
        .setNanos((int) Math.floorMod(millis, 1000) * 1_000_000)
        .build();
  }
}
