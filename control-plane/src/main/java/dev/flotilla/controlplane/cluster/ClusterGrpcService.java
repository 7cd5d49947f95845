package dev.flotilla.controlplane.cluster;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.api.Protos;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.proto.api.v1.Cluster;
import dev.flotilla.proto.api.v1.ClusterName;
import dev.flotilla.proto.api.v1.ClusterServiceGrpc;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.ListClustersRequest;
import dev.flotilla.proto.api.v1.ListClustersResponse;
import dev.flotilla.proto.api.v1.RegisterClusterRequest;
import dev.flotilla.proto.api.v1.RegisterClusterResponse;
import dev.flotilla.proto.api.v1.UpdateClusterRequest;
import io.grpc.stub.StreamObserver;

/**
 * {@code flotilla.api.v1.ClusterService} over the same {@link ClusterRegistry} as REST and the CLI.
 */
public final class ClusterGrpcService extends ClusterServiceGrpc.ClusterServiceImplBase {

  private final ClusterRegistry registry;

  public ClusterGrpcService(ClusterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void register(RegisterClusterRequest r, StreamObserver<RegisterClusterResponse> out) {
    GrpcErrors.reply(
        registry.register(
            Callers.current(), r.getName(), r.getServer(), r.getLabelsMap(), r.getAnnotationsMap()),
        reg ->
            RegisterClusterResponse.newBuilder()
                .setCluster(Protos.cluster(reg.cluster()))
                .setToken(reg.token())
                .build(),
        out);
  }

  @Override
  public void list(ListClustersRequest r, StreamObserver<ListClustersResponse> out) {
    GrpcErrors.replyChecked(
        () ->
            registry.list(
                Callers.current(),
                LabelSelectors.parse(r.getLabelSelector(), "label_selector"),
                PageRequest.of(r.getPageSize(), r.getPageToken(), "page_size")),
        p ->
            ListClustersResponse.newBuilder()
                .addAllClusters(p.items().stream().map(Protos::cluster).toList())
                .setNextPageToken(p.nextPageToken())
                .build(),
        out);
  }

  @Override
  public void update(UpdateClusterRequest r, StreamObserver<Cluster> out) {
    GrpcErrors.reply(
        registry.update(Callers.current(), r.getName(), r.getLabelsMap(), r.getAnnotationsMap()),
        Protos::cluster,
        out);
  }

  @Override
  public void rotateToken(ClusterName r, StreamObserver<RegisterClusterResponse> out) {
    GrpcErrors.reply(
        registry.rotate(Callers.current(), r.getName()),
        reg ->
            RegisterClusterResponse.newBuilder()
                .setCluster(Protos.cluster(reg.cluster()))
                .setToken(reg.token())
                .build(),
        out);
  }

  @Override
  public void remove(ClusterName r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        registry.remove(Callers.current(), r.getName()), v -> Empty.getDefaultInstance(), out);
  }
}
