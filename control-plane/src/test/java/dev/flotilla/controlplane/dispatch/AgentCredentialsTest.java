package dev.flotilla.controlplane.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.model.ApplicationParser;
import dev.flotilla.core.model.ApplicationSpec;
import dev.flotilla.git.GitCredential;
import dev.flotilla.proto.agent.v1.RepositoryCredentials;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which stored credentials an agent receives for the repositories of its Applications. */
class AgentCredentialsTest {

  private static final GitCredential SHOP =
      new GitCredential(
          "https://git.example.com/team/shop.git", false, "u", "p1", null, false, null);
  private static final GitCredential TEAM =
      new GitCredential("https://git.example.com/team/", true, "t", "p2", null, false, null);
  private static final GitCredential HOST =
      new GitCredential("https://git.example.com/", true, "h", "p3", null, false, null);
  private static final GitCredential SSH =
      new GitCredential("ssh://git@git.example.com/", true, null, null, "KEY", false, null);
  private static final GitCredential SSH_ANY =
      new GitCredential("ssh://git@other.example.com/x.git", false, null, null, "K2", true, null);
  private static final List<GitCredential> STORED = List.of(HOST, TEAM, SHOP, SSH, SSH_ANY);

  /** A repository and the stored entry whose secret it gets (null: none). */
  record Case(String name, String repository, GitCredential expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("own entry beats every template", SHOP.url(), SHOP),
        new Case("longest template prefix wins", "https://git.example.com/team/web.git", TEAM),
        new Case(
            "shorter template when the longer does not cover", "https://git.example.com/x", HOST),
        new Case("no entry covers another host", "https://elsewhere.example.com/a.git", null),
        new Case("own entry needs the exact URL", SHOP.url() + "/", TEAM),
        new Case("prefix is literal, no host confusion", "https://git.example.com.evil/x", null),
        new Case("ssh template", "ssh://git@git.example.com/team/a.git", SSH),
        new Case("ssh own entry with host key not checked", SSH_ANY.url(), SSH_ANY),
        new Case(
            "template URL itself is not a repository entry", "https://git.example.com/", HOST));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void selectsTheEntryCoveringEachRepository(Case c) {
    List<GitCredential> chosen = AgentCredentials.select(Set.of(c.repository()), STORED);
    if (c.expected() == null) {
      assertTrue(chosen.isEmpty(), chosen::toString);
      return;
    }
    assertEquals(1, chosen.size());
    GitCredential got = chosen.get(0);
    // Resolved to the concrete repository: the agent never learns a template's prefix.
    assertEquals(c.repository(), got.url());
    assertFalse(got.template());
    assertEquals(c.expected().password(), got.password());
    assertEquals(c.expected().sshPrivateKey(), got.sshPrivateKey());
    assertEquals(c.expected().insecureIgnoreHostKey(), got.insecureIgnoreHostKey());
  }

  @Test
  void onlyGitSourcesOfTheAssignedSpecsAreRepositories() throws Exception {
    ApplicationSpec single =
        spec("{\"source\":{\"repoURL\":\"https://git.example.com/team/a.git\",\"path\":\"x\"}}");
    ApplicationSpec multi =
        spec(
            "{\"sources\":[{\"repoURL\":\"https://charts.example.com\",\"chart\":\"web\","
                + "\"targetRevision\":\"1.0.0\"},{\"repoURL\":\"https://git.example.com/team/v.git\","
                + "\"ref\":\"values\"},{\"repoURL\":\"https://git.example.com/team/a.git\","
                + "\"path\":\"y\"}]}");
    assertEquals(
        List.of("https://git.example.com/team/a.git", "https://git.example.com/team/v.git"),
        List.copyOf(AgentCredentials.repositories(List.of(single, multi))));
  }

  @Test
  void messageCarriesKnownHostsOnlyWhenAnEntryChecksHostKeys() {
    RepositoryCredentials https =
        AgentCredentials.message(List.of(SHOP), "[127.0.0.1]:22 ecdsa-sha2-nistp256 AAAA");
    assertEquals("", https.getKnownHosts());
    assertEquals("u", https.getEntries(0).getUsername());

    List<GitCredential> ssh =
        AgentCredentials.select(Set.of("ssh://git@git.example.com/a.git"), STORED);
    assertEquals("hosts", AgentCredentials.message(ssh, "hosts").getKnownHosts());
    List<GitCredential> insecure = AgentCredentials.select(Set.of(SSH_ANY.url()), STORED);
    assertEquals("", AgentCredentials.message(insecure, "hosts").getKnownHosts());
  }

  @Test
  void nothingAssignedNothingSent() {
    assertTrue(AgentCredentials.select(Set.of(), STORED).isEmpty());
    assertEquals(
        RepositoryCredentials.getDefaultInstance(), AgentCredentials.message(List.of(), "hosts"));
  }

  private static ApplicationSpec spec(String json) throws Exception {
    return ApplicationParser.parseSpec(new ObjectMapper().readTree(json));
  }
}
