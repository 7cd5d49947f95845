package dev.flotilla.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.proto.api.v1.AuditLogEntry;
import dev.flotilla.proto.api.v1.AuditServiceGrpc;
import dev.flotilla.proto.api.v1.CreateTeamRequest;
import dev.flotilla.proto.api.v1.CreateTokenRequest;
import dev.flotilla.proto.api.v1.CreateTokenResponse;
import dev.flotilla.proto.api.v1.CreateUserRequest;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.ListAuditRequest;
import dev.flotilla.proto.api.v1.ListAuditResponse;
import dev.flotilla.proto.api.v1.ListTeamsRequest;
import dev.flotilla.proto.api.v1.ListTokensRequest;
import dev.flotilla.proto.api.v1.ListTokensResponse;
import dev.flotilla.proto.api.v1.ListUsersRequest;
import dev.flotilla.proto.api.v1.ListUsersResponse;
import dev.flotilla.proto.api.v1.Policy;
import dev.flotilla.proto.api.v1.PolicyServiceGrpc;
import dev.flotilla.proto.api.v1.ReplacePolicyRequest;
import dev.flotilla.proto.api.v1.Session;
import dev.flotilla.proto.api.v1.TeamMemberRequest;
import dev.flotilla.proto.api.v1.TeamMembership;
import dev.flotilla.proto.api.v1.TeamName;
import dev.flotilla.proto.api.v1.TeamServiceGrpc;
import dev.flotilla.proto.api.v1.TokenId;
import dev.flotilla.proto.api.v1.TokenServiceGrpc;
import dev.flotilla.proto.api.v1.UserName;
import dev.flotilla.proto.api.v1.UserServiceGrpc;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractStub;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Users, teams, tokens, policy and audit over the platform API, served in-process by a control
 * plane on a database of its own: answers, refusals of a caller without rights, bad input named by
 * its proto field, secrets shown once, and audit paging.
 */
class IdentityGrpcIT {

  @TempDir Path home;
  private ControlPlane cp;
  private ManagedChannel channel;
  private String adminToken;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            TestDatabases.fresh(),
            InProcessServerBuilder.forName(name));
    channel = InProcessChannelBuilder.forName(name).build();
    adminToken = cp.adminToken().value();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    cp.close();
  }

  @Test
  void adminManagesUsersTeamsAndPolicy() {
    var users = as(adminToken, UserServiceGrpc.newBlockingStub(channel));
    var teams = as(adminToken, TeamServiceGrpc.newBlockingStub(channel));
    var policy = as(adminToken, PolicyServiceGrpc.newBlockingStub(channel));

    Session me = users.whoAmI(Empty.getDefaultInstance());
    assertThat(me.getName()).isEqualTo("admin");
    assertThat(me.getRolesList()).contains("role:admin");

    var alice =
        users.create(
            CreateUserRequest.newBuilder().setName("alice").setDisplayName("Alice A.").build());
    assertThat(alice.getName()).isEqualTo("alice");
    assertThat(alice.getDisplayName()).isEqualTo("Alice A.");
    assertThat(alice.getCreatedAt().getSeconds()).isPositive();
    users.create(CreateUserRequest.newBuilder().setName("bob").build());

    // Pages of one user, by name, until the token runs out.
    List<String> names = new ArrayList<>();
    String token = "";
    do {
      ListUsersResponse page =
          users.list(ListUsersRequest.newBuilder().setPageSize(1).setPageToken(token).build());
      assertThat(page.getUsersList()).hasSizeLessThanOrEqualTo(1);
      page.getUsersList().forEach(u -> names.add(u.getName()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    assertThat(names).containsExactly("admin", "alice", "bob");

    teams.create(CreateTeamRequest.newBuilder().setName("team-a").setDescription("A").build());
    TeamMembership added =
        teams.addMember(TeamMemberRequest.newBuilder().setTeam("team-a").setUser("alice").build());
    assertThat(added.getMember()).isTrue();
    assertThat(added.getChanged()).isTrue();
    assertThat(
            teams
                .addMember(
                    TeamMemberRequest.newBuilder().setTeam("team-a").setUser("alice").build())
                .getChanged())
        .isFalse();
    var listed = teams.list(ListTeamsRequest.getDefaultInstance()).getTeamsList();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).getMembersList()).containsExactly("alice");
    assertThat(listed.get(0).getDescription()).isEqualTo("A");
    assertCode(
        () ->
            teams.addMember(
                TeamMemberRequest.newBuilder().setTeam("team-a").setUser("nobody").build()),
        Status.Code.NOT_FOUND,
        "does not exist");
    assertCode(
        () -> users.create(CreateUserRequest.newBuilder().setName("team-a").build()),
        Status.Code.ALREADY_EXISTS,
        "already taken");

    Policy before = policy.get(Empty.getDefaultInstance());
    Policy after =
        policy.replace(
            ReplacePolicyRequest.newBuilder()
                .setPolicy(before.getPolicy() + "\np, role:team-a, applications, get, */*, allow")
                .setDefaultRole("role:readonly")
                .build());
    assertThat(after.getPolicy()).contains("role:team-a");
    assertThat(after.getDefaultRole()).isEqualTo("role:readonly");
    assertThat(after.getUpdatedBy()).isEqualTo("admin");
    assertThat(policy.get(Empty.getDefaultInstance()).getDefaultRole()).isEqualTo("role:readonly");

    teams.delete(TeamName.newBuilder().setName("team-a").build());
    users.delete(UserName.newBuilder().setName("bob").build());
    assertCode(
        () -> users.delete(UserName.newBuilder().setName("bob").build()),
        Status.Code.NOT_FOUND,
        "user 'bob' not found");
  }

  @Test
  void aCallerWithoutAccountRightsIsRefusedAndAudited() {
    var adminUsers = as(adminToken, UserServiceGrpc.newBlockingStub(channel));
    adminUsers.create(CreateUserRequest.newBuilder().setName("carol").build());
    String carolToken =
        as(adminToken, TokenServiceGrpc.newBlockingStub(channel))
            .create(CreateTokenRequest.newBuilder().setUser("carol").build())
            .getToken();

    var users = as(carolToken, UserServiceGrpc.newBlockingStub(channel));
    var teams = as(carolToken, TeamServiceGrpc.newBlockingStub(channel));
    var policy = as(carolToken, PolicyServiceGrpc.newBlockingStub(channel));
    var tokens = as(carolToken, TokenServiceGrpc.newBlockingStub(channel));

    assertThat(users.whoAmI(Empty.getDefaultInstance()).getName()).isEqualTo("carol");
    assertCode(
        () -> users.create(CreateUserRequest.newBuilder().setName("mallory").build()),
        Status.Code.PERMISSION_DENIED,
        "'carol' may not create accounts 'users/mallory'");
    assertCode(
        () -> teams.create(CreateTeamRequest.newBuilder().setName("ops").build()),
        Status.Code.PERMISSION_DENIED,
        "may not create");
    assertCode(
        () ->
            policy.replace(
                ReplacePolicyRequest.newBuilder().setPolicy("g, carol, role:admin").build()),
        Status.Code.PERMISSION_DENIED,
        "may not update");
    // What the caller may not see is missing, not forbidden.
    assertCode(
        () -> policy.get(Empty.getDefaultInstance()),
        Status.Code.NOT_FOUND,
        "policy 'global' not found");
    assertCode(
        () -> tokens.list(ListTokensRequest.newBuilder().setUser("admin").build()),
        Status.Code.NOT_FOUND,
        "user 'admin' not found");
    assertCode(
        () -> tokens.create(CreateTokenRequest.newBuilder().setUser("admin").build()),
        Status.Code.NOT_FOUND,
        "user 'admin' not found");
    // Its own tokens it may manage.
    assertThat(tokens.list(ListTokensRequest.getDefaultInstance()).getTokensList()).hasSize(1);

    List<AuditLogEntry> denied =
        as(adminToken, AuditServiceGrpc.newBlockingStub(channel))
            .list(ListAuditRequest.newBuilder().setActor("carol").build())
            .getEntriesList();
    assertThat(denied)
        .extracting(AuditLogEntry::getObject, AuditLogEntry::getResult)
        .contains(
            org.assertj.core.groups.Tuple.tuple("users/mallory", "deny"),
            org.assertj.core.groups.Tuple.tuple("teams/ops", "deny"),
            org.assertj.core.groups.Tuple.tuple("policy", "deny"));
  }

  @Test
  void badInputIsRefusedNamingTheProtoField() {
    var users = as(adminToken, UserServiceGrpc.newBlockingStub(channel));
    var teams = as(adminToken, TeamServiceGrpc.newBlockingStub(channel));
    var tokens = as(adminToken, TokenServiceGrpc.newBlockingStub(channel));
    var audit = as(adminToken, AuditServiceGrpc.newBlockingStub(channel));
    var policy = as(adminToken, PolicyServiceGrpc.newBlockingStub(channel));

    assertCode(
        () -> users.create(CreateUserRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT,
        "name: is required");
    assertCode(
        () -> users.create(CreateUserRequest.newBuilder().setName("a,b").build()),
        Status.Code.INVALID_ARGUMENT,
        "name: may not contain ','");
    assertCode(
        () ->
            users.create(
                CreateUserRequest.newBuilder()
                    .setName("dave")
                    .setDisplayName("x".repeat(2000))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "display_name: longer than 1024 characters");
    assertCode(
        () -> users.list(ListUsersRequest.newBuilder().setPageSize(5000).build()),
        Status.Code.INVALID_ARGUMENT,
        "page_size: must be between 1 and 1000");
    assertCode(
        () -> teams.addMember(TeamMemberRequest.newBuilder().setTeam("t").build()),
        Status.Code.INVALID_ARGUMENT,
        "user: is required");
    assertCode(
        () -> tokens.create(CreateTokenRequest.newBuilder().setRole("ci").build()),
        Status.Code.INVALID_ARGUMENT,
        "role: only with project");
    assertCode(
        () -> tokens.create(CreateTokenRequest.newBuilder().setExpiresIn("forever").build()),
        Status.Code.INVALID_ARGUMENT,
        "expires_in: must be a duration such as 90m, 12h or 30d, found 'forever'");
    assertCode(
        () ->
            tokens.create(
                CreateTokenRequest.newBuilder()
                    .setExpiresAt(Timestamp.newBuilder().setSeconds(1_000_000_000L))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "expires_at: must lie in the future");
    assertCode(
        () ->
            tokens.create(
                CreateTokenRequest.newBuilder()
                    .setExpiresIn("1h")
                    .setExpiresAt(Timestamp.newBuilder().setSeconds(4_000_000_000L))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "expires_in: give either expires_in or expires_at, not both");
    assertCode(
        () ->
            policy.replace(
                ReplacePolicyRequest.newBuilder().setPolicy("").setDefaultRole("readonly").build()),
        Status.Code.INVALID_ARGUMENT,
        "default_role: must be empty or a role such as 'role:readonly'");
    assertCode(
        () -> audit.list(ListAuditRequest.newBuilder().setPageToken("not-a-token").build()),
        Status.Code.INVALID_ARGUMENT,
        "page_token: not a page token from this list");
    assertCode(
        () ->
            audit.list(
                ListAuditRequest.newBuilder()
                    .setSince(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))
                    .build()),
        Status.Code.INVALID_ARGUMENT,
        "since: not a valid timestamp");
  }

  @Test
  void aTokenSecretIsAnsweredOnceAndNeverListed() {
    var tokens = as(adminToken, TokenServiceGrpc.newBlockingStub(channel));
    CreateTokenResponse created =
        tokens.create(
            CreateTokenRequest.newBuilder().setDescription("ci").setExpiresIn("12h").build());
    String secret = created.getToken();
    assertThat(secret).isNotBlank();
    assertThat(created.getApiToken().getUser()).isEqualTo("admin");
    assertThat(created.getApiToken().hasExpiresAt()).isTrue();
    // The new token works.
    assertThat(
            as(secret, UserServiceGrpc.newBlockingStub(channel))
                .whoAmI(Empty.getDefaultInstance())
                .getName())
        .isEqualTo("admin");

    ListTokensResponse listed = tokens.list(ListTokensRequest.getDefaultInstance());
    assertThat(listed.getTokensList())
        .extracting(t -> t.getId())
        .contains(created.getApiToken().getId());
    assertThat(listed.toString()).doesNotContain(secret);

    // Newest first, as REST lists them, one page after another.
    long second = tokens.create(CreateTokenRequest.getDefaultInstance()).getApiToken().getId();
    List<Long> ids = new ArrayList<>();
    String page = "";
    do {
      ListTokensResponse r =
          tokens.list(ListTokensRequest.newBuilder().setPageSize(1).setPageToken(page).build());
      r.getTokensList().forEach(t -> ids.add(t.getId()));
      page = r.getNextPageToken();
    } while (!page.isEmpty());
    assertThat(ids)
        .startsWith(second, created.getApiToken().getId())
        .isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(listed.toByteString().toStringUtf8()).doesNotContain(secret);

    tokens.revoke(TokenId.newBuilder().setId(created.getApiToken().getId()).build());
    assertCode(
        () -> tokens.revoke(TokenId.newBuilder().setId(created.getApiToken().getId()).build()),
        Status.Code.FAILED_PRECONDITION,
        "already revoked");
    assertCode(
        () ->
            as(secret, UserServiceGrpc.newBlockingStub(channel)).whoAmI(Empty.getDefaultInstance()),
        Status.Code.UNAUTHENTICATED,
        "");
    // Nor does the audit log hold it.
    ListAuditResponse log =
        as(adminToken, AuditServiceGrpc.newBlockingStub(channel))
            .list(ListAuditRequest.getDefaultInstance());
    assertThat(log.toString()).doesNotContain(secret);
  }

  @Test
  void auditPagesFollowTheirTokensWithoutGapsOrRepeats() {
    var users = as(adminToken, UserServiceGrpc.newBlockingStub(channel));
    for (int i = 0; i < 7; i++) {
      users.create(CreateUserRequest.newBuilder().setName("user-" + i).build());
    }
    var audit = as(adminToken, AuditServiceGrpc.newBlockingStub(channel));
    List<AuditLogEntry> all =
        audit
            .list(ListAuditRequest.newBuilder().setActor("admin").setPageSize(1000).build())
            .getEntriesList();
    assertThat(all).hasSizeGreaterThanOrEqualTo(7);

    List<Long> paged = new ArrayList<>();
    Set<String> tokensSeen = new HashSet<>();
    String token = "";
    int pages = 0;
    do {
      ListAuditResponse page =
          audit.list(
              ListAuditRequest.newBuilder()
                  .setActor("admin")
                  .setPageSize(3)
                  .setPageToken(token)
                  .build());
      assertThat(page.getEntriesCount()).isLessThanOrEqualTo(3);
      page.getEntriesList().forEach(e -> paged.add(e.getId()));
      token = page.getNextPageToken();
      assertThat(token.isEmpty() || tokensSeen.add(token)).isTrue();
      pages++;
    } while (!token.isEmpty() && pages < 100);

    // Newest first, every entry once, the same as one big page.
    assertThat(paged).containsExactlyElementsOf(all.stream().map(AuditLogEntry::getId).toList());
    assertThat(pages).isGreaterThanOrEqualTo(3);
    assertThat(all.get(0).getObject()).isEqualTo("users/user-6");
    assertThat(all.get(0).getKind()).isEqualTo("accounts");
    assertThat(all.get(0).getResult()).isEqualTo("allow");
  }

  @Test
  void reflectionListsTheIdentityServices() throws Exception {
    List<String> services = new java.util.concurrent.CopyOnWriteArrayList<>();
    var done = new java.util.concurrent.CompletableFuture<Void>();
    var requests =
        io.grpc.reflection.v1.ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new io.grpc.stub.StreamObserver<>() {
                  @Override
                  public void onNext(io.grpc.reflection.v1.ServerReflectionResponse r) {
                    r.getListServicesResponse()
                        .getServiceList()
                        .forEach(s -> services.add(s.getName()));
                    done.complete(null);
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(
        io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("").build());
    done.get(10, java.util.concurrent.TimeUnit.SECONDS);
    requests.onCompleted();
    assertThat(services)
        .contains(
            "flotilla.api.v1.UserService",
            "flotilla.api.v1.TeamService",
            "flotilla.api.v1.TokenService",
            "flotilla.api.v1.PolicyService",
            "flotilla.api.v1.AuditService");
  }

  private static <S extends AbstractStub<S>> S as(String token, S stub) {
    return stub.withCallCredentials(
        new CallCredentials() {
          @Override
          public void applyRequestMetadata(
              RequestInfo info, Executor executor, MetadataApplier applier) {
            Metadata m = new Metadata();
            m.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + token);
            applier.apply(m);
          }
        });
  }

  private static void assertCode(ThrowingCallable call, Status.Code code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(String.valueOf(e.getStatus().getDescription())).contains(message);
            });
  }
}
