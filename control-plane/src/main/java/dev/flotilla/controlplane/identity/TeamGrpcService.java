package dev.flotilla.controlplane.identity;

import static dev.flotilla.controlplane.identity.IdentityProtos.protoFieldNames;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.proto.api.v1.CreateTeamRequest;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.ListTeamsRequest;
import dev.flotilla.proto.api.v1.ListTeamsResponse;
import dev.flotilla.proto.api.v1.TeamMemberRequest;
import dev.flotilla.proto.api.v1.TeamMembership;
import dev.flotilla.proto.api.v1.TeamName;
import dev.flotilla.proto.api.v1.TeamServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.List;

/** {@code flotilla.api.v1.TeamService} over the same {@link TeamService} as REST. */
public final class TeamGrpcService extends TeamServiceGrpc.TeamServiceImplBase {

  private final TeamService teams;

  public TeamGrpcService(TeamService teams) {
    this.teams = teams;
  }

  @Override
  public void list(ListTeamsRequest r, StreamObserver<ListTeamsResponse> out) {
    GrpcErrors.replyChecked(
        () ->
            teams.list(
                Callers.current(), PageRequest.of(r.getPageSize(), r.getPageToken(), "page_size")),
        p ->
            ListTeamsResponse.newBuilder()
                .addAllTeams(p.items().stream().map(IdentityProtos::team).toList())
                .setNextPageToken(p.nextPageToken())
                .build(),
        out);
  }

  @Override
  public void create(CreateTeamRequest r, StreamObserver<dev.flotilla.proto.api.v1.Team> out) {
    GrpcErrors.reply(
        protoFieldNames(teams.create(Callers.current(), r.getName(), r.getDescription())),
        t -> IdentityProtos.team(new TeamMembers(t, List.of())),
        out);
  }

  @Override
  public void delete(TeamName r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        teams.delete(Callers.current(), r.getName()), v -> Empty.getDefaultInstance(), out);
  }

  @Override
  public void addMember(TeamMemberRequest r, StreamObserver<TeamMembership> out) {
    membership(r, true, out);
  }

  @Override
  public void removeMember(TeamMemberRequest r, StreamObserver<TeamMembership> out) {
    membership(r, false, out);
  }

  private void membership(TeamMemberRequest r, boolean member, StreamObserver<TeamMembership> out) {
    GrpcErrors.replyChecked(
        () ->
            teams.setMember(
                Callers.current(),
                AccountChanges.required("team", r.getTeam()),
                AccountChanges.required("user", r.getUser()),
                member),
        changed ->
            TeamMembership.newBuilder()
                .setTeam(r.getTeam())
                .setUser(r.getUser())
                .setMember(member)
                .setChanged(changed)
                .build(),
        out);
  }
}
