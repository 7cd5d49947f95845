package dev.flotilla.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.testkit.HttpGitServer;
import dev.flotilla.testkit.SshGitServer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent's own Git credentials against real Git servers: smart HTTP with basic auth, and SSH.
 */
class GitCredentialsTest {

  private static final String USER = "flotilla";
  private static final String PASSWORD = "s3cret-token-1234";

  @TempDir Path tmp;
  private Path repositories;
  private String head;

  @BeforeEach
  void repository() throws Exception {
    Path work = tmp.resolve("work");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.createDirectories(work.resolve("apps"));
      Files.writeString(work.resolve("apps/cm.yaml"), "kind: ConfigMap\n");
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
    repositories = tmp.resolve("served");
    Git.cloneRepository()
        .setURI(work.toUri().toString())
        .setBare(true)
        .setDirectory(repositories.resolve("apps.git").toFile())
        .call()
        .close();
  }

  private Path credentialsFile(String yaml) throws Exception {
    Path file = tmp.resolve("git-credentials.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private GitCache cache(GitCredentials credentials) {
    return new GitCache(tmp.resolve("cache-" + System.nanoTime()), credentials);
  }

  @Test
  void httpCloneWithTheRightPasswordFromTheFile() throws Exception {
    try (HttpGitServer server = new HttpGitServer(repositories, USER, PASSWORD)) {
      String url = server.url("apps.git");
      Files.writeString(tmp.resolve("token"), PASSWORD + "\n");
      GitCredentials credentials =
          GitCredentials.load(
              credentialsFile(
                  """
                  credentials:
                    - urlPrefix: http://127.0.0.1:1/other/
                      username: nobody
                      password: wrong
                    - urlPrefix: %s
                      username: %s
                      passwordFile: token
                  """
                      .formatted(url.substring(0, url.indexOf("/git/") + 1), USER)),
              null);
      GitCache cache = cache(credentials);

      assertThat(cache.resolve(url, "main")).isEqualTo(head);
      assertThat(cache.checkout(url, head).resolve("apps/cm.yaml")).exists();
    }
  }

  @Test
  void httpCloneWithTheEnvironmentsUserForEveryUrl() throws Exception {
    try (HttpGitServer server = new HttpGitServer(repositories, USER, PASSWORD)) {
      String url = server.url("apps.git");
      assertThat(cache(GitCredentials.of(USER, PASSWORD)).resolve(url, "main")).isEqualTo(head);
    }
  }

  @Test
  void aWrongPasswordIsAClearErrorNamingTheUrlButNeverThePassword() throws Exception {
    String wrong = "not-the-password-9876";
    try (HttpGitServer server = new HttpGitServer(repositories, USER, PASSWORD)) {
      String url = server.url("apps.git");
      GitCredentials credentials =
          GitCredentials.load(
              credentialsFile(
                  """
                  credentials:
                    - urlPrefix: %s
                      username: %s
                      password: %s
                  """
                      .formatted(url, USER, wrong)),
              null);

      assertThatThrownBy(() -> cache(credentials).resolve(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining("cannot clone " + url)
          .hasMessageContaining("not authorized")
          .hasMessageContaining("user 'flotilla' for URLs starting with " + url)
          .hasMessageContaining(tmp.resolve("git-credentials.yaml").toString())
          .hasMessageNotContaining(wrong)
          .hasMessageNotContaining(PASSWORD);
      assertThat(server.refused()).as("the server did see a refused attempt").isPositive();
    }
  }

  @Test
  void noCredentialsForAProtectedRepositoryIsAClearError() throws Exception {
    try (HttpGitServer server = new HttpGitServer(repositories, USER, PASSWORD)) {
      String url = server.url("apps.git");
      GitCredentials credentials =
          GitCredentials.load(
              credentialsFile(
                  """
                  credentials:
                    - urlPrefix: https://elsewhere.example/
                      username: a
                      password: b
                  """),
              null);
      assertThatThrownBy(() -> cache(credentials).resolve(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("no entry of " + tmp.resolve("git-credentials.yaml") + " matches");
    }
  }

  @Test
  void theLongestMatchingPrefixWins() throws Exception {
    GitCredentials credentials =
        GitCredentials.load(
            credentialsFile(
                """
                credentials:
                  - urlPrefix: https://git.example.com/
                    username: broad
                    password: x
                  - urlPrefix: https://git.example.com/platform/
                    username: narrow
                    password: y
                """),
            null);
    assertThat(credentials.match("https://git.example.com/platform/apps.git").username())
        .isEqualTo("narrow");
    assertThat(credentials.match("https://git.example.com/billing.git").username())
        .isEqualTo("broad");
    assertThat(credentials.match("https://other.example.com/x.git")).isNull();
  }

  record Case(String name, String yaml, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> invalidFiles() {
    return Stream.of(
        new Case("not a list", "credentials: {}\n", "expected a top-level list 'credentials:'"),
        new Case("empty file", "", "expected a top-level list 'credentials:'"),
        new Case(
            "no prefix",
            "credentials:\n  - username: a\n    password: b\n",
            "urlPrefix is required"),
        new Case(
            "no password",
            "credentials:\n  - urlPrefix: https://x/\n    username: a\n",
            "needs username and password"),
        new Case(
            "typo",
            "credentials:\n  - urlPrefix: https://x/\n    usernme: a\n    password: b\n",
            "unknown field 'usernme'"),
        new Case(
            "key and password",
            "credentials:\n  - urlPrefix: ssh://x/\n    sshPrivateKeyFile: key\n    password: b\n",
            "not both"),
        new Case(
            "missing key",
            "credentials:\n  - urlPrefix: ssh://x/\n    sshPrivateKeyFile: no-such-key\n",
            "no-such-key does not exist"),
        new Case(
            "not a key",
            "credentials:\n  - urlPrefix: ssh://x/\n    sshPrivateKeyFile: not-a-key\n",
            "cannot read SSH private key"),
        new Case(
            "known hosts without a key",
            "credentials:\n  - urlPrefix: https://x/\n    username: a\n    password: b\n"
                + "    sshKnownHostsFile: known_hosts\n",
            "sshKnownHostsFile needs sshPrivateKeyFile"),
        new Case(
            "missing password file",
            "credentials:\n  - urlPrefix: https://x/\n    username: a\n    passwordFile: nope\n",
            "passwordFile"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidFiles")
  void invalidFilesAreRefusedNamingTheFile(Case c) throws Exception {
    Files.writeString(tmp.resolve("not-a-key"), "hello\n");
    Files.writeString(tmp.resolve("known_hosts"), "\n");
    Path file = credentialsFile(c.yaml());
    assertThatThrownBy(() -> GitCredentials.load(file, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(c.error());
  }

  // ------------------------------------------------------------------ SSH

  private Path writePrivateKey(String name, KeyPair key) throws Exception {
    // The format ssh-keygen writes: -----BEGIN OPENSSH PRIVATE KEY-----, unencrypted.
    Path file = tmp.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "flotilla-test", null, out);
    }
    return file;
  }

  private GitCredentials sshCredentials(String url, Path key, String knownHosts) throws Exception {
    Files.writeString(tmp.resolve("known_hosts"), knownHosts + "\n");
    return GitCredentials.load(
        credentialsFile(
            """
            credentials:
              - urlPrefix: %s
                sshPrivateKeyFile: %s
                sshKnownHostsFile: known_hosts
            """
                .formatted(url, key.getFileName())),
        null);
  }

  @Test
  void anEncryptedKeyIsRefusedAtStartUp() throws Exception {
    Path key = tmp.resolve("id_encrypted");
    OpenSSHKeyEncryptionContext encryption = new OpenSSHKeyEncryptionContext();
    encryption.setPassword("passphrase");
    encryption.setCipherName("AES");
    encryption.setCipherMode("CTR");
    encryption.setCipherType("256");
    try (OutputStream out = Files.newOutputStream(key)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(
          SshGitServer.ecKeyPair(), "flotilla-test", encryption, out);
    }
    Path file =
        credentialsFile(
            "credentials:\n  - urlPrefix: ssh://git@x/\n    sshPrivateKeyFile: id_encrypted\n");
    assertThatThrownBy(() -> GitCredentials.load(file, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read SSH private key " + key)
        .hasMessageContaining("unencrypted");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"})
  void sshCloneWithThePrivateKeyFromTheFile(String keyType) throws Exception {
    KeyPair client = KeyUtils.generateKeyPair(keyType, keyType.equals("ssh-rsa") ? 3072 : 256);
    try (SshGitServer server = new SshGitServer(repositories, client.getPublic())) {
      String url = server.url("apps.git");
      GitCredentials credentials =
          sshCredentials(url, writePrivateKey("id_" + keyType, client), server.knownHostsLine());
      GitCache cache = cache(credentials);

      assertThat(cache.resolve(url, "main")).isEqualTo(head);
      assertThat(cache.checkout(url, head).resolve("apps/cm.yaml")).exists();
      assertThat(cache.resolve(url, "main")).as("fetch over the same transport").isEqualTo(head);
    }
  }

  @Test
  void sshWithAKeyTheServerDoesNotKnowIsAClearError() throws Exception {
    KeyPair authorized = SshGitServer.ecKeyPair();
    KeyPair other = SshGitServer.ecKeyPair();
    try (SshGitServer server = new SshGitServer(repositories, authorized.getPublic())) {
      String url = server.url("apps.git");
      Path key = writePrivateKey("id_other", other);
      GitCredentials credentials = sshCredentials(url, key, server.knownHostsLine());

      assertThatThrownBy(() -> cache(credentials).resolve(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining("cannot clone " + url)
          .hasMessageContaining("SSH key " + key);
    }
  }

  @Test
  void sshToAHostNotInKnownHostsIsRefused() throws Exception {
    KeyPair client = SshGitServer.ecKeyPair();
    try (SshGitServer server = new SshGitServer(repositories, client.getPublic())) {
      String url = server.url("apps.git");
      GitCredentials credentials =
          sshCredentials(url, writePrivateKey("id_ecdsa", client), "# nobody vouched");

      assertThatThrownBy(() -> cache(credentials).resolve(url, "main"))
          .isInstanceOf(GitFetchException.class)
          .hasMessageContaining("cannot clone " + url)
          .hasMessageContaining("Server key did not validate")
          .hasMessageContaining("is the server's host key in the known-hosts file?");
    }
  }
}
