package dev.flotilla.controlplane.identity;

import static dev.flotilla.controlplane.identity.IdentityDatabase.await;
import static dev.flotilla.controlplane.identity.IdentityDatabase.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.project.AppProjectParser;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Enforcer;
import dev.flotilla.core.rbac.PolicyParseException;
import dev.flotilla.core.rbac.Resources;
import dev.flotilla.core.rbac.Subject;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pieces together, as a request handler will use them: a bearer token becomes a subject, the
 * stored policy and AppProject roles become an enforcer, the decision goes to the audit log.
 */
class AccessDecisionIT {

  private static final String SHOP =
      """
      apiVersion: argoproj.io/v1alpha1
      kind: AppProject
      metadata:
        name: shop
      spec:
        sourceRepos: ['*']
        roles:
          - name: ci
            policies:
              - p, proj:shop:ci, applications, sync, shop/*, allow
              - p, proj:shop:ci, applications, get, shop/*, allow
              - p, proj:shop:ci, applications, delete, bank/*, allow
            groups: [release-managers]
      """;

  private IdentityDatabase db;
  private UserRepository users;
  private TeamRepository teams;
  private TokenRepository tokens;
  private PolicyRepository policies;
  private ProjectRepository projects;
  private AuditRepository audit;

  @BeforeEach
  void setUp() throws Exception {
    db = new IdentityDatabase();
    users = new UserRepository(db.pool);
    teams = new TeamRepository(db.pool);
    tokens = new TokenRepository(db.pool);
    policies = new PolicyRepository(db.pool);
    projects = new ProjectRepository(db.pool);
    audit = new AuditRepository(db.pool);

    await(users.create("alice", ""));
    await(users.create("rita", ""));
    await(teams.create("shop-devs", ""));
    await(teams.create("release-managers", ""));
    await(teams.addMember("shop-devs", "alice"));
    await(teams.addMember("release-managers", "rita"));
    await(projects.upsert("shop", AppProjectParser.parse(SHOP)));
    await(
        projects.upsert(
            "bank", new JsonObject().put("metadata", new JsonObject().put("name", "bank"))));
    await(
        policies.put(
            """
            g, shop-devs, role:shop-dev
            p, role:shop-dev, applications, *, shop/*, allow
            p, role:shop-dev, applications, delete, shop/prod-*, deny
            """,
            "admin"));
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  private Subject authenticate(String token) throws Exception {
    return await(tokens.authenticate(token)).orElseThrow();
  }

  @Test
  void tokensPolicyAndProjectRolesDecideTogether() throws Exception {
    Enforcer enforcer = await(new EnforcerLoader(policies, projects, "").load());
    Subject alice = authenticate(await(tokens.createForUser("alice", "", null)).plaintext());
    Subject rita = authenticate(await(tokens.createForUser("rita", "", null)).plaintext());
    Subject ci =
        authenticate(await(tokens.createForProjectRole("shop", "ci", "", null)).plaintext());

    assertThat(enforcer.enforce(alice, Resources.APPLICATIONS, Actions.UPDATE, "shop/web"))
        .isTrue();
    assertThat(enforcer.enforce(alice, Resources.APPLICATIONS, Actions.DELETE, "shop/prod-db"))
        .isFalse();
    assertThat(enforcer.enforce(alice, Resources.APPLICATIONS, Actions.GET, "bank/api")).isFalse();

    assertThat(enforcer.enforce(ci, Resources.APPLICATIONS, Actions.SYNC, "shop/web")).isTrue();
    assertThat(enforcer.enforce(ci, Resources.APPLICATIONS, Actions.DELETE, "bank/api"))
        .as("the line reaching into bank was dropped")
        .isFalse();
    assertThat(enforcer.enforce(rita, Resources.APPLICATIONS, Actions.SYNC, "shop/web"))
        .as("held through the role's groups")
        .isTrue();
    assertThat(enforcer.enforce(rita, Resources.APPLICATIONS, Actions.UPDATE, "shop/web"))
        .isFalse();

    assertThat(
            enforcer.visible(
                alice, Resources.APPLICATIONS, List.of("bank/api", "shop/web"), s -> s))
        .containsExactly("shop/web");

    boolean allowed = enforcer.enforce(ci, Resources.APPLICATIONS, Actions.DELETE, "bank/api");
    await(
        audit.record(
            new AuditEntry(
                ci.name(),
                Actions.DELETE,
                Resources.APPLICATIONS,
                "bank/api",
                allowed ? AuditResult.ALLOW : AuditResult.DENY,
                null)));
    assertThat(await(audit.query(AuditQuery.all().byActor("proj:shop:ci"))))
        .singleElement()
        .extracting(AuditRecord::result)
        .isEqualTo(AuditResult.DENY);
  }

  @Test
  void theDefaultRoleAndAPolicyChangeTakeEffectOnReload() throws Exception {
    Subject alice = authenticate(await(tokens.createForUser("alice", "", null)).plaintext());
    EnforcerLoader loader = new EnforcerLoader(policies, projects, "role:readonly");
    assertThat(await(loader.load()).enforce(alice, Resources.CLUSTERS, Actions.GET, "prod"))
        .isTrue();

    assertThat(failure(policies.put("p, shop-devs, clusters, get, *, nope", "mallory")))
        .isInstanceOf(PolicyParseException.class);
    assertThat(
            await(loader.load()).enforce(alice, Resources.APPLICATIONS, Actions.UPDATE, "shop/web"))
        .as("the refused policy changed nothing")
        .isTrue();

    await(policies.put("p, shop-devs, clusters, get, prod, deny", "admin"));
    Enforcer reloaded = await(loader.load());
    assertThat(reloaded.enforce(alice, Resources.CLUSTERS, Actions.GET, "prod")).isFalse();
    assertThat(reloaded.enforce(alice, Resources.APPLICATIONS, Actions.UPDATE, "shop/web"))
        .isFalse();
  }
}
