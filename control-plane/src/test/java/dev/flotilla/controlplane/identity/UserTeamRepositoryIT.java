package dev.flotilla.controlplane.identity;

import static dev.flotilla.controlplane.identity.IdentityDatabase.await;
import static dev.flotilla.controlplane.identity.IdentityDatabase.failure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class UserTeamRepositoryIT {

  static final List<String> HOSTILE =
      List.of(
          "o'brien; DROP TABLE users; --",
          "Robert'); DELETE FROM team_members; --",
          "' OR '1'='1",
          "$1 $2 ::text %s %% _ \\ \\\\",
          "ünïcødé 🚀 名前",
          "admin'--");

  private IdentityDatabase db;
  private UserRepository users;
  private TeamRepository teams;

  @BeforeEach
  void setUp() {
    db = new IdentityDatabase();
    users = new UserRepository(db.pool);
    teams = new TeamRepository(db.pool);
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  @Test
  void usersJoinTeamsAndListTheirTeams() throws Exception {
    User alice = await(users.create("alice", "Alice A."));
    assertThat(alice.name()).isEqualTo("alice");
    assertThat(alice.createdAt()).isNotNull();
    await(users.create("bob", null));
    await(teams.create("team-b", "B"));
    await(teams.create("team-a", ""));

    assertThat(await(teams.addMember("team-b", "alice"))).isTrue();
    assertThat(await(teams.addMember("team-a", "alice"))).isTrue();
    assertThat(await(teams.addMember("team-a", "alice"))).as("already a member").isFalse();
    assertThat(await(teams.addMember("team-a", "bob"))).isTrue();

    assertThat(await(users.teamsOf("alice"))).containsExactly("team-a", "team-b");
    assertThat(await(teams.members("team-a"))).containsExactly("alice", "bob");
    assertThat(await(users.teamsOf("nobody"))).isEmpty();
    assertThat(await(users.get("bob")).orElseThrow().displayName()).isEmpty();

    assertThat(await(teams.removeMember("team-b", "alice"))).isTrue();
    assertThat(await(users.teamsOf("alice"))).containsExactly("team-a");
  }

  @Test
  void sqlLookingFreeTextIsStoredAndReadBackVerbatim() throws Exception {
    for (int i = 0; i < HOSTILE.size(); i++) {
      String s = HOSTILE.get(i);
      await(users.create("user-" + i, s));
      await(teams.create("team-" + i, s));
      await(teams.addMember("team-" + i, "user-" + i));
    }
    for (int i = 0; i < HOSTILE.size(); i++) {
      String s = HOSTILE.get(i);
      User user = await(users.get("user-" + i)).orElseThrow();
      assertThat(user.displayName()).isEqualTo(s);
      assertThat(await(teams.get("team-" + i)).orElseThrow().description()).isEqualTo(s);
      assertThat(await(users.teamsOf("user-" + i))).containsExactly("team-" + i);
    }
    assertThat(await(users.list())).hasSize(HOSTILE.size());
    assertThat(await(teams.list())).hasSize(HOSTILE.size());
    assertThat(await(users.get("' OR '1'='1' --"))).isEmpty();
  }

  @Test
  void sqlLookingNamesAreRefusedAndChangeNothing() throws Exception {
    for (String s : HOSTILE) {
      assertThat(failure(users.create(s, "x")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("name: ")
          .hasMessageContaining("is not a valid name");
      assertThat(failure(teams.create(s, "x"))).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(await(users.list())).isEmpty();
    assertThat(await(teams.list())).isEmpty();
  }

  @Test
  void aUserAndATeamCannotShareANameAndTheRefusalChangesNothing() throws Exception {
    await(users.create("platform", "the user"));
    await(teams.create("ops", "the team"));

    assertThat(failure(teams.create("platform", "x")))
        .isInstanceOf(IdentityConflictException.class)
        .hasMessageContaining("'platform' is already taken");
    assertThat(failure(users.create("ops", "x"))).isInstanceOf(IdentityConflictException.class);
    assertThat(failure(users.create("platform", "again")))
        .isInstanceOf(IdentityConflictException.class);

    assertThat(await(users.get("platform")).orElseThrow().displayName()).isEqualTo("the user");
    assertThat(await(teams.list())).extracting(Team::name).containsExactly("ops");
    assertThat(await(users.list())).extracting(User::name).containsExactly("platform");
  }

  record BadName(String name, String value, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<BadName> badNames() {
    return Stream.of(
        new BadName("empty", "", "is empty"),
        new BadName("null", null, "is empty"),
        new BadName("comma splits a policy line", "a,b", "','"),
        new BadName("double quote", "a\"b", "','"),
        new BadName("built-in role", "role:admin", "'role:'"),
        new BadName("project role", "proj:shop:ci", "'proj:'"),
        new BadName("NUL", "a\u0000b", "control character"),
        new BadName("newline", "a\nb", "control character"),
        new BadName("padded", " alice", "blank"),
        new BadName("too long", "x".repeat(254), "longer than 253"),
        new BadName("path traversal", "../../etc/passwd", "is not a valid name"),
        new BadName("slash", "a/b", "is not a valid name"),
        new BadName("dot dot", "a..b", "without '..'"),
        new BadName("inner blank", "team a", "is not a valid name"),
        new BadName("escape sequence", "\u001b[31mred", "control character"),
        new BadName("C1 control", "a\u009bb", "control character"),
        new BadName("percent", "a%2Fb", "is not a valid name"),
        new BadName("starts with a dot", ".alice", "is not a valid name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badNames")
  void badNamesAreRefusedForUsersAndTeams(BadName c) throws Exception {
    await(users.create("keep", "k"));
    assertThat(failure(users.create(c.value(), "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name: ")
        .hasMessageContaining(c.reason());
    assertThat(failure(teams.create(c.value(), "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(c.reason());
    assertThat(await(users.list())).extracting(User::name).containsExactly("keep");
    assertThat(await(teams.list())).isEmpty();
  }

  @Test
  void freeTextWithNulOrTooLongIsRefused() throws Exception {
    assertThat(failure(users.create("alice", "a\u0000b")))
        .hasMessage("displayName: contains a NUL character");
    assertThat(failure(teams.create("t", "d".repeat(1025))))
        .hasMessageStartingWith("description: longer than");
    assertThat(await(users.list())).isEmpty();
  }

  @Test
  void membershipOfUnknownTeamOrUserIsRefused() throws Exception {
    await(users.create("alice", ""));
    await(teams.create("team-a", ""));
    assertThat(failure(teams.addMember("team-x", "alice")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not exist");
    assertThat(failure(teams.addMember("team-a", "mallory")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(await(teams.members("team-a"))).isEmpty();
  }

  @Test
  void deletingAUserRemovesMembershipsAndTokensAndFreesTheName() throws Exception {
    TokenRepository tokens = new TokenRepository(db.pool);
    await(users.create("alice", ""));
    await(teams.create("team-a", ""));
    await(teams.addMember("team-a", "alice"));
    CreatedToken token = await(tokens.createForUser("alice", "laptop", null));

    assertThat(await(users.delete("alice"))).isTrue();
    assertThat(await(users.delete("alice"))).isFalse();
    assertThat(await(teams.delete("alice"))).as("not a team").isFalse();
    assertThat(await(teams.members("team-a"))).isEmpty();
    assertThat(await(tokens.authenticate(token.plaintext()))).isEmpty();
    assertThat(await(tokens.list())).isEmpty();
    assertThat(await(teams.create("alice", "now a team")).name()).isEqualTo("alice");
  }
}
