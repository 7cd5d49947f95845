package dev.flotilla.controlplane.repository;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.api.Protos;
import dev.flotilla.proto.api.v1.AddRepositoryRequest;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.ListRepositoriesRequest;
import dev.flotilla.proto.api.v1.ListRepositoriesResponse;
import dev.flotilla.proto.api.v1.RemoveRepositoryRequest;
import dev.flotilla.proto.api.v1.Repository;
import dev.flotilla.proto.api.v1.RepositoryServiceGrpc;
import dev.flotilla.proto.api.v1.RepositoryUrl;
import io.grpc.stub.StreamObserver;

/**
 * {@code flotilla.api.v1.RepositoryService} over the same {@link RepositoryService} as REST: the
 * same RBAC, audit, validation and answers, and no secret in any response.
 */
public final class RepositoryGrpcService extends RepositoryServiceGrpc.RepositoryServiceImplBase {

  private final RepositoryService repositories;

  public RepositoryGrpcService(RepositoryService repositories) {
    this.repositories = repositories;
  }

  @Override
  public void list(ListRepositoriesRequest r, StreamObserver<ListRepositoriesResponse> out) {
    GrpcErrors.reply(
        repositories.list(Callers.current()),
        all ->
            ListRepositoriesResponse.newBuilder()
                .addAllRepositories(all.stream().map(RepositoryGrpcService::proto).toList())
                .build(),
        out);
  }

  @Override
  public void get(RepositoryUrl r, StreamObserver<Repository> out) {
    GrpcErrors.reply(
        repositories.get(Callers.current(), r.getUrl()), RepositoryGrpcService::proto, out);
  }

  @Override
  public void add(AddRepositoryRequest r, StreamObserver<Repository> out) {
    GrpcErrors.replyChecked(
        () ->
            repositories.add(
                Callers.current(),
                new RepositoryRequest(
                    r.getUrl(),
                    r.getTemplate(),
                    emptyIsNull(r.getUsername()),
                    emptyIsNull(r.getPassword()),
                    emptyIsNull(r.getSshPrivateKey()),
                    r.getInsecureIgnoreHostKey())),
        RepositoryGrpcService::proto,
        out);
  }

  @Override
  public void remove(RemoveRepositoryRequest r, StreamObserver<Empty> out) {
    GrpcErrors.replyChecked(
        () ->
            repositories.remove(
                Callers.current(),
                r.getUrl(),
                switch (r.getKind()) {
                  case REPOSITORY_KIND_ANY -> null;
                  case REPOSITORY_KIND_REPOSITORY -> false;
                  case REPOSITORY_KIND_TEMPLATE -> true;
                  default -> throw ApiException.invalid("kind: unknown repository kind");
                }),
        v -> Empty.getDefaultInstance(),
        out);
  }

  /** proto3 strings cannot be null: an empty one means "not given". */
  private static String emptyIsNull(String s) {
    return s.isEmpty() ? null : s;
  }

  static Repository proto(RepositoryCredential c) {
    Repository.Builder b =
        Repository.newBuilder()
            .setUrl(c.url())
            .setTemplate(c.template())
            .setType(c.type())
            .setUsername(c.username() == null ? "" : c.username())
            .setHasPassword(c.hasPassword())
            .setHasSshPrivateKey(c.hasSshPrivateKey())
            .setInsecureIgnoreHostKey(c.insecureIgnoreHostKey())
            .setLastError(c.lastError() == null ? "" : c.lastError());
    if (c.createdAt() != null) {
      b.setCreatedAt(Protos.timestamp(c.createdAt()));
    }
    if (c.lastSuccessAt() != null) {
      b.setLastSuccessAt(Protos.timestamp(c.lastSuccessAt()));
    }
    if (c.lastErrorAt() != null) {
      b.setLastErrorAt(Protos.timestamp(c.lastErrorAt()));
    }
    return b.build();
  }
}
