package dev.flotilla.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.git.GitCredential;
import dev.flotilla.proto.agent.v1.RepositoryCredential;
import dev.flotilla.proto.agent.v1.RepositoryCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceivedCredentialsTest {

  private static final String PASSWORD = "pa55-w0rd-never-shown";
  private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nsecretkeyline\n-----END";

  @TempDir Path dir;

  private static RepositoryCredentials https(String url) {
    return RepositoryCredentials.newBuilder()
        .addEntries(
            RepositoryCredential.newBuilder().setUrl(url).setUsername("u").setPassword(PASSWORD))
        .build();
  }

  @Test
  void eachMessageReplacesTheWholeSetAndSaysWhetherItChanged() {
    ReceivedCredentials held = new ReceivedCredentials(dir.resolve("known_hosts"));
    assertFalse(held.replace(RepositoryCredentials.getDefaultInstance()), "none, still none");

    assertTrue(held.replace(https("https://git.example.com/a.git")));
    GitCredential c = held.current().get(0);
    assertEquals("u", c.username());
    assertEquals(PASSWORD, c.password());
    assertNull(c.sshPrivateKey());
    assertFalse(c.template(), "a concrete repository, never a prefix");
    assertFalse(held.replace(https("https://git.example.com/a.git")), "the same again");

    // Withdrawn: the next set no longer has it.
    assertTrue(held.replace(https("https://git.example.com/b.git")));
    assertEquals(Set.of("https://git.example.com/b.git"), held.urls());
    assertTrue(held.replace(RepositoryCredentials.getDefaultInstance()));
    assertTrue(held.current().isEmpty());
  }

  @Test
  void neitherToStringNorUrlsShowASecret() {
    ReceivedCredentials held = new ReceivedCredentials(dir.resolve("known_hosts"));
    held.replace(
        RepositoryCredentials.newBuilder()
            .addEntries(
                RepositoryCredential.newBuilder().setUrl("ssh://git@h/r.git").setSshPrivateKey(KEY))
            .addEntries(
                RepositoryCredential.newBuilder()
                    .setUrl("https://me:" + PASSWORD + "@h/r.git")
                    .setUsername("me")
                    .setPassword(PASSWORD))
            .build());
    String shown = held.current().toString() + held.urls();
    assertFalse(shown.contains(PASSWORD), shown);
    assertFalse(shown.contains("secretkeyline"), shown);
  }

  @Test
  void knownHostsAreWrittenButNoSecretEverIs() throws Exception {
    Path file = dir.resolve("state").resolve("received_known_hosts");
    ReceivedCredentials held = new ReceivedCredentials(file);
    held.replace(
        RepositoryCredentials.newBuilder()
            .addEntries(
                RepositoryCredential.newBuilder().setUrl("ssh://git@h/r.git").setSshPrivateKey(KEY))
            .setKnownHosts("[127.0.0.1]:2222 ecdsa-sha2-nistp256 AAAAE2")
            .build());
    assertEquals(file, held.current().get(0).knownHosts());
    assertEquals("[127.0.0.1]:2222 ecdsa-sha2-nistp256 AAAAE2", Files.readString(file));
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(p);
        assertFalse(text.contains("secretkeyline") || text.contains(PASSWORD), p.toString());
      }
    }
    // No host keys sent: the agent's own ~/.ssh/known_hosts.
    held.replace(
        RepositoryCredentials.newBuilder()
            .addEntries(
                RepositoryCredential.newBuilder().setUrl("ssh://git@h/r.git").setSshPrivateKey(KEY))
            .build());
    assertNull(held.current().get(0).knownHosts());
    assertEquals(List.of("ssh://git@h/r.git"), List.copyOf(held.urls()));
  }
}
