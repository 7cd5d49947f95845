package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.rest.Routes;
import io.grpc.BindableService;
import java.time.Clock;
import java.util.List;

/**
 * Users, teams, tokens, policy and audit wired once: one service per concept (permissions and
 * audit), shared by its REST routes and its gRPC service.
 */
public final class IdentityFeature {

  private final UserService users;
  private final TeamService teams;
  private final TokenService tokens;
  private final PolicyService policy;
  private final AuditService auditLog;
  private final Clock clock;

  public IdentityFeature(
      UserRepository users,
      TeamRepository teams,
      TokenRepository tokens,
      PolicyRepository policies,
      AccessControl access,
      Audit audit,
      Clock clock) {
    this.clock = clock;
    this.users = new UserService(users, audit);
    this.teams = new TeamService(teams, access, audit);
    this.tokens = new TokenService(tokens, audit);
    this.policy = new PolicyService(policies, access, audit);
    this.auditLog = new AuditService(audit.log());
  }

  /** The audit log as callers may read it, shared with the web UI. */
  public AuditService auditLog() {
    return auditLog;
  }

  public List<Routes> routes() {
    return List.of(
        new AccountRoutes(users, teams),
        new TokenRoutes(tokens, clock),
        new PolicyRoutes(policy),
        new AuditRoutes(auditLog));
  }

  /** The {@code flotilla.api.v1} services, without authentication (the platform API adds it). */
  public List<BindableService> grpcServices() {
    return List.of(
        new UserGrpcService(users),
        new TeamGrpcService(teams),
        new TokenGrpcService(tokens, clock),
        new PolicyGrpcService(policy),
        new AuditGrpcService(auditLog));
  }
}
