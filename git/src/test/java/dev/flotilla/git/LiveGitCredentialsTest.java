package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.testkit.HttpGitServer;
import dev.flotilla.testkit.SshGitServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials from a live source (the control plane's stored entries, or what an agent received):
 * read at each fetch, so changes need no restart; the file still wins where both match; SSH keys
 * from memory with the host key checked, unless the entry itself says to ignore it.
 */
class LiveGitCredentialsTest {

  private static final String USER = "flotilla";
  private static final String PASSWORD = "live-s3cret-token-5678";

  @TempDir Path tmp;
  private Path served;
  private String head;
  private final List<GitCredential> live = new CopyOnWriteArrayList<>();

  @BeforeEach
  void repositories() throws Exception {
    Path work = tmp.resolve("work");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.writeString(work.resolve("cm.yaml"), "kind: ConfigMap\n");
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
      head =
          git.commit()
              .setMessage("first")
              .setAuthor(who)
              .setCommitter(who)
              .setSign(false)
              .call()
              .name();
    }
    served = tmp.resolve("served");
    for (String name : List.of("apps.git", "other.git")) {
      Git.cloneRepository()
          .setURI(work.toUri().toString())
          .setBare(true)
          .setDirectory(served.resolve(name).toFile())
          .call()
          .close();
    }
  }

  private GitCache cache(GitCredentials credentials) {
    return new GitCache(tmp.resolve("cache-" + System.nanoTime()), credentials);
  }

  private static GitCredential https(String url, boolean template, String password) {
    return new GitCredential(url, template, USER, password, null, false, null);
  }

  @Test
  void anAddedEntryIsUsedAtTheNextFetchAndARemovedOneNoLonger() throws Exception {
    try (HttpGitServer server = new HttpGitServer(served, USER, PASSWORD)) {
      String url = server.url("apps.git");
      GitCache cache = cache(GitCredentials.none().withLive(() -> List.copyOf(live)));
      assertThatThrownBy(() -> cache.resolve(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining("Authentication is required")
          .hasMessageContaining("flotilla repo add");

      live.add(https(url, false, PASSWORD));
      assertThat(cache.resolve(url, "main")).isEqualTo(head);

      live.clear();
      assertThatThrownBy(() -> cache.resolve(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining("cannot fetch " + url)
          .hasMessageContaining("no credentials");
    }
  }

  @Test
  void theRepositorysOwnEntryBeatsTheLongestTemplateWhichBeatsAShorterOne() throws Exception {
    try (HttpGitServer server = new HttpGitServer(served, USER, PASSWORD)) {
      String url = server.url("apps.git");
      String root = url.substring(0, url.indexOf("/git/") + 1);
      live.add(https(root, true, "short-template-wrong"));
      live.add(https(root + "git/", true, PASSWORD));
      GitCredentials credentials = GitCredentials.none().withLive(() -> List.copyOf(live));
      assertThat(cache(credentials).resolve(url, "main")).as("longest template").isEqualTo(head);

      live.add(https(url, false, "own-entry-wrong"));
      assertThatThrownBy(() -> cache(credentials).resolve(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining("user 'flotilla' of the repository " + url)
          .hasMessageNotContaining("own-entry-wrong");
      assertThat(cache(credentials).resolve(server.url("other.git"), "main"))
          .as("another repository under the template")
          .isEqualTo(head);
    }
  }

  @Test
  void theFileWinsWhereBothMatch() throws Exception {
    try (HttpGitServer server = new HttpGitServer(served, USER, PASSWORD)) {
      String url = server.url("apps.git");
      Path file = tmp.resolve("git-credentials.yaml");
      Files.writeString(
          file,
          "credentials:\n  - urlPrefix: %s\n    username: %s\n    password: file-wrong-1\n"
              .formatted(url, USER));
      live.add(https(url, false, PASSWORD));
      live.add(https(server.url("other.git"), false, PASSWORD));
      GitCredentials credentials = GitCredentials.load(file).withLive(() -> List.copyOf(live));

      assertThatThrownBy(() -> cache(credentials).resolve(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining(file.toString())
          .hasMessageNotContaining("file-wrong-1")
          .hasMessageNotContaining(PASSWORD);
      assertThat(cache(credentials).resolve(server.url("other.git"), "main"))
          .as("the file does not cover it: the live entry does")
          .isEqualTo(head);
    }
  }

  @Test
  void sshWithAKeyFromMemoryChecksTheHostKey() throws Exception {
    KeyPair client = SshGitServer.ecKeyPair();
    String key = privateKeyText(client);
    try (SshGitServer server = new SshGitServer(served, client.getPublic())) {
      String url = server.url("apps.git");
      Path knownHosts = tmp.resolve("known_hosts");
      Files.writeString(knownHosts, server.knownHostsLine() + "\n");
      live.add(new GitCredential(url, false, null, null, key, false, knownHosts));
      GitCache cache = cache(GitCredentials.none().withLive(() -> List.copyOf(live)));
      assertThat(cache.resolve(url, "main")).isEqualTo(head);
      assertThat(cache.resolve(url, "main")).as("again, same factory").isEqualTo(head);

      Path nobody = tmp.resolve("empty_known_hosts");
      Files.writeString(nobody, "# nobody vouched\n");
      live.set(0, new GitCredential(url, false, null, null, key, false, nobody));
      assertThatThrownBy(() -> cache(GitCredentials.none().withLive(() -> live)).resolve(url, "x"))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining("Server key did not validate")
          .hasMessageContaining("SSH key of the repository " + url)
          .hasMessageNotContaining(key.lines().skip(1).findFirst().orElseThrow());
    }
  }

  @Test
  void insecureIgnoreHostKeyAppliesToItsOwnRepositoryOnly() throws Exception {
    KeyPair client = SshGitServer.ecKeyPair();
    String key = privateKeyText(client);
    try (SshGitServer server = new SshGitServer(served, client.getPublic())) {
      Path nobody = tmp.resolve("empty_known_hosts");
      Files.writeString(nobody, "# nobody vouched\n");
      String trusting = server.url("apps.git");
      String checked = server.url("other.git");
      live.add(new GitCredential(trusting, false, null, null, key, true, nobody));
      live.add(new GitCredential(checked, false, null, null, key, false, nobody));
      GitCredentials credentials = GitCredentials.none().withLive(() -> List.copyOf(live));

      assertThat(cache(credentials).resolve(trusting, "main")).isEqualTo(head);
      assertThatThrownBy(() -> cache(credentials).resolve(checked, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining("Server key did not validate");
    }
  }

  @Test
  void anUnreadableKeyIsAnErrorNamingTheEntryButNotTheKey() throws Exception {
    String bogus = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90LWEta2V5LXNlY3JldC1tYXRlcmlhbA==\n";
    String url = "ssh://git@127.0.0.1:1/apps.git";
    live.add(new GitCredential(url, false, null, null, bogus, false, null));
    assertThatThrownBy(
            () -> cache(GitCredentials.none().withLive(() -> List.copyOf(live))).fetch(url))
        .isInstanceOf(GitFetchException.class)
        .hasMessageContaining("cannot clone " + url)
        .hasMessageContaining("SSH key of the repository " + url)
        .hasMessageContaining("unencrypted OpenSSH or PEM")
        .hasMessageNotContaining("bm90LWEta2V5");
  }

  @Test
  void anEntryNeverShowsItsSecrets() {
    GitCredential c =
        new GitCredential("https://git.example.com/", true, "me", "pw-123", null, false, null);
    assertThat(c.toString()).doesNotContain("pw-123").contains("template");
  }

  private static String privateKeyText(KeyPair key) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "flotilla-test", null, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
