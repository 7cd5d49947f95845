package dev.flotilla.controlplane.identity;

import static dev.flotilla.controlplane.identity.IdentityProtos.protoFieldNames;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.proto.api.v1.CreateUserRequest;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.ListUsersRequest;
import dev.flotilla.proto.api.v1.ListUsersResponse;
import dev.flotilla.proto.api.v1.Session;
import dev.flotilla.proto.api.v1.UserName;
import dev.flotilla.proto.api.v1.UserServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Future;

/** {@code flotilla.api.v1.UserService} over the same {@link UserService} as REST. */
public final class UserGrpcService extends UserServiceGrpc.UserServiceImplBase {

  private final UserService users;

  public UserGrpcService(UserService users) {
    this.users = users;
  }

  @Override
  public void whoAmI(Empty r, StreamObserver<Session> out) {
    Caller caller = Callers.current();
    var b =
        Session.newBuilder()
            .setName(caller.name())
            .addAllTeams(caller.teams().stream().sorted().toList())
            .addAllRoles(caller.roles().stream().sorted().toList());
    caller
        .subject()
        .projectRole()
        .ifPresent(p -> b.setProject(p.project()).setProjectRole(p.role()));
    GrpcErrors.reply(Future.succeededFuture(b.build()), s -> s, out);
  }

  @Override
  public void list(ListUsersRequest r, StreamObserver<ListUsersResponse> out) {
    GrpcErrors.replyChecked(
        () ->
            users.list(
                Callers.current(), PageRequest.of(r.getPageSize(), r.getPageToken(), "page_size")),
        p ->
            ListUsersResponse.newBuilder()
                .addAllUsers(p.items().stream().map(IdentityProtos::user).toList())
                .setNextPageToken(p.nextPageToken())
                .build(),
        out);
  }

  @Override
  public void create(CreateUserRequest r, StreamObserver<dev.flotilla.proto.api.v1.User> out) {
    GrpcErrors.reply(
        protoFieldNames(users.create(Callers.current(), r.getName(), r.getDisplayName())),
        IdentityProtos::user,
        out);
  }

  @Override
  public void delete(UserName r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        users.delete(Callers.current(), r.getName()), v -> Empty.getDefaultInstance(), out);
  }
}
