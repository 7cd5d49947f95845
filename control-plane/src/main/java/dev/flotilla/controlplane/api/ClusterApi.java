package dev.flotilla.controlplane.api;

import dev.flotilla.controlplane.cluster.ClusterRegistry;
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
final class ClusterApi extends ClusterServiceGrpc.ClusterServiceImplBase {

  private final ClusterRegistry registry;

  ClusterApi(ClusterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void register(RegisterClusterRequest r, StreamObserver<RegisterClusterResponse> out) {
    GrpcErrors.reply(
        registry.register(r.getName(), r.getServer(), r.getLabelsMap(), r.getAnnotationsMap()),
        reg ->
            RegisterClusterResponse.newBuilder()
                .setCluster(Protos.cluster(reg.cluster()))
                .setToken(reg.token())
                .build(),
        out);
  }

  @Override
  public void list(ListClustersRequest r, StreamObserver<ListClustersResponse> out) {
    GrpcErrors.reply(
        registry.repository().list(),
        list ->
            ListClustersResponse.newBuilder()
                .addAllClusters(list.stream().map(Protos::cluster).toList())
                .build(),
        out);
  }

  @Override
  public void update(UpdateClusterRequest r, StreamObserver<Cluster> out) {
    GrpcErrors.reply(
        registry.update(r.getName(), r.getLabelsMap(), r.getAnnotationsMap()),
        Protos::cluster,
        out);
  }

  @Override
  public void rotateToken(ClusterName r, StreamObserver<RegisterClusterResponse> out) {
    GrpcErrors.reply(
        registry.rotate(r.getName()),
        reg ->
            RegisterClusterResponse.newBuilder()
                .setCluster(Protos.cluster(reg.cluster()))
                .setToken(reg.token())
                .build(),
        out);
  }

  @Override
  public void remove(ClusterName r, StreamObserver<Empty> out) {
    GrpcErrors.reply(registry.remove(r.getName()), v -> Empty.getDefaultInstance(), out);
  }
}
