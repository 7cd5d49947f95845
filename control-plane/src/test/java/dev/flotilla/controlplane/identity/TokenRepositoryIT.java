package dev.flotilla.controlplane.identity;

import static dev.flotilla.controlplane.identity.IdentityDatabase.await;
import static dev.flotilla.controlplane.identity.IdentityDatabase.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.cluster.JoinTokens;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.core.rbac.Subject;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenRepositoryIT {

  private IdentityDatabase db;
  private TokenRepository tokens;
  private UserRepository users;
  private TeamRepository teams;

  @BeforeEach
  void setUp() throws Exception {
    db = new IdentityDatabase();
    tokens = new TokenRepository(db.pool);
    users = new UserRepository(db.pool);
    teams = new TeamRepository(db.pool);
    await(users.create("alice", "Alice"));
    await(teams.create("team-a", ""));
    await(teams.addMember("team-a", "alice"));
    await(
        new ProjectRepository(db.pool)
            .upsert(
                "shop", new JsonObject().put("metadata", new JsonObject().put("name", "shop"))));
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  @Test
  void aUserTokenIsShownOnceStoredHashedAndActsAsTheUserWithCurrentTeams() throws Exception {
    CreatedToken created = await(tokens.createForUser("alice", "laptop", null));
    assertThat(created.plaintext()).startsWith("flt_").hasSizeGreaterThan(40);
    assertThat(created.toString()).doesNotContain(created.plaintext());
    assertThat(created.token().kind()).isEqualTo(ApiToken.Kind.USER);
    assertThat(created.token().user()).isEqualTo("alice");
    assertThat(created.token().expiresAt()).isNull();
    assertThat(created.token().lastUsedAt()).isNull();

    String stored = db.sql("SELECT token_hash FROM api_tokens").iterator().next().getString(0);
    assertThat(stored).isEqualTo(JoinTokens.hash(created.plaintext()));
    String everything =
        db.sql("SELECT row_to_json(t)::text FROM api_tokens t").iterator().next().getString(0);
    assertThat(everything).doesNotContain(created.plaintext());

    assertThat(await(tokens.authenticate(created.plaintext())))
        .contains(Subject.user("alice", List.of("team-a")));
    await(teams.create("team-b", ""));
    await(teams.addMember("team-b", "alice"));
    assertThat(await(tokens.authenticate(created.plaintext())).orElseThrow().teams())
        .containsExactlyInAnyOrder("team-a", "team-b");

    List<ApiToken> listed = await(tokens.list());
    assertThat(listed).singleElement().extracting(ApiToken::description).isEqualTo("laptop");
    assertThat(listed.toString()).doesNotContain(stored).doesNotContain(created.plaintext());
    assertThat(await(tokens.listForUser("alice"))).hasSize(1);
    assertThat(await(tokens.listForUser("bob"))).isEmpty();
  }

  @Test
  void aProjectTokenActsAsItsProjectRole() throws Exception {
    CreatedToken created =
        await(
            tokens.createForProjectRole(
                "shop", "ci", "deploy bot", Instant.now().plus(1, ChronoUnit.DAYS)));
    assertThat(created.token().kind()).isEqualTo(ApiToken.Kind.PROJECT_ROLE);
    assertThat(created.token().project()).isEqualTo("shop");
    assertThat(created.token().role()).isEqualTo("ci");
    assertThat(created.token().user()).isNull();
    assertThat(created.token().expiresAt()).isAfter(OffsetDateTime.now());

    Subject subject = await(tokens.authenticate(created.plaintext())).orElseThrow();
    assertThat(subject).isEqualTo(Subject.projectRole("shop", "ci"));
    assertThat(subject.name()).isEqualTo("proj:shop:ci");
    assertThat(await(tokens.listForProject("shop"))).hasSize(1);

    await(new ProjectRepository(db.pool).delete("shop"));
    assertThat(await(tokens.authenticate(created.plaintext()))).isEmpty();
  }

  @Test
  void expiredRevokedUnknownAndMalformedTokensAreRefusedAlike() throws Exception {
    CreatedToken expired =
        await(tokens.createForUser("alice", "short", Instant.now().plusSeconds(3600)));
    CreatedToken revoked = await(tokens.createForUser("alice", "revoked", null));
    CreatedToken project = await(tokens.createForProjectRole("shop", "ci", "", null));
    CreatedToken good = await(tokens.createForUser("alice", "good", null));

    // Expiry is decided by the database clock; move it into the past rather than wait for it.
    db.sql(
        "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1",
        expired.token().id());
    assertThat(await(tokens.revoke(revoked.token().id()))).isTrue();
    assertThat(await(tokens.revoke(project.token().id()))).isTrue();
    assertThat(await(tokens.revoke(999_999))).isFalse();

    String storedHash = JoinTokens.hash(good.plaintext());
    for (String presented :
        new String[] {
          expired.plaintext(),
          revoked.plaintext(),
          project.plaintext(),
          JoinTokens.newToken(),
          storedHash,
          good.plaintext() + " ",
          good.plaintext().toUpperCase(),
          "' OR '1'='1",
          "flt_'; UPDATE api_tokens SET revoked = false; --",
          "",
          "x".repeat(10_000)
        }) {
      assertThat(await(tokens.authenticate(presented))).as(presented).isEqualTo(Optional.empty());
    }
    assertThat(await(tokens.authenticate(null))).isEmpty();
    assertThat(await(tokens.authenticate(good.plaintext()))).isPresent();
    assertThat(await(tokens.get(revoked.token().id())).orElseThrow().revoked()).isTrue();
    assertThat(await(tokens.get(good.token().id())).orElseThrow().revoked()).isFalse();
  }

  @Test
  void lastUseIsRecordedAtMostOnceAMinute() throws Exception {
    CreatedToken created = await(tokens.createForUser("alice", "", null));
    long id = created.token().id();

    await(tokens.authenticate(created.plaintext()));
    OffsetDateTime first = await(tokens.get(id)).orElseThrow().lastUsedAt();
    assertThat(first).isNotNull();

    await(tokens.authenticate(created.plaintext()));
    assertThat(await(tokens.get(id)).orElseThrow().lastUsedAt()).isEqualTo(first);

    db.sql("UPDATE api_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1", id);
    OffsetDateTime aged = await(tokens.get(id)).orElseThrow().lastUsedAt();
    await(tokens.authenticate(created.plaintext()));
    assertThat(await(tokens.get(id)).orElseThrow().lastUsedAt()).isAfter(aged);
  }

  @Test
  void sqlLookingDescriptionsAreStoredVerbatim() throws Exception {
    for (String s : UserTeamRepositoryIT.HOSTILE) {
      await(tokens.createForUser("alice", s, null));
    }
    assertThat(await(tokens.list()))
        .extracting(ApiToken::description)
        .containsExactlyInAnyOrderElementsOf(UserTeamRepositoryIT.HOSTILE);
    assertThat(await(users.list())).extracting(User::name).containsExactly("alice");
  }

  @Test
  void badRequestsAreRefusedAndCreateNothing() throws Exception {
    assertThat(failure(tokens.createForUser("mallory", "", null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("user 'mallory' does not exist");
    assertThat(failure(tokens.createForUser("' OR '1'='1", "", null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failure(tokens.createForUser("alice", "", Instant.now().minusSeconds(1))))
        .hasMessage("expiresAt: must lie in the future");
    assertThat(failure(tokens.createForUser("alice", "nul\u0000", null)))
        .hasMessage("description: contains a NUL character");
    assertThat(failure(tokens.createForProjectRole("bank", "ci", "", null)))
        .hasMessage("project 'bank' does not exist");
    assertThat(failure(tokens.createForProjectRole("shop", "ci:admin", "", null)))
        .hasMessageStartingWith("role: must be");
    assertThat(
            failure(tokens.createForProjectRole("shop", "x'; DROP TABLE api_tokens;--", "", null)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(await(tokens.list())).isEmpty();
  }
}
