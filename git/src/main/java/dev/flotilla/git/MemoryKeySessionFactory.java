package dev.flotilla.git;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshConfigStore;
import org.eclipse.jgit.transport.sshd.JGitKeyCache;
import org.eclipse.jgit.transport.sshd.ServerKeyDatabase;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;

/**
 * SSH sessions for a {@link GitCredential}: the private key comes from memory (never written to
 * disk), the host key is checked against the entry's known-hosts file, or accepted whatever it is
 * when the entry says {@code insecureIgnoreHostKey} (for that entry's repositories only: every
 * entry has its own factory). No {@code ~/.ssh/config} and no agent of whoever runs the process.
 */
final class MemoryKeySessionFactory extends SshdSessionFactory {

  /** Accepts every host key: what {@code --insecure-ignore-host-key} asked for. */
  private static final ServerKeyDatabase ANY_HOST_KEY =
      new ServerKeyDatabase() {
        @Override
        public List<PublicKey> lookup(
            String connectAddress, InetSocketAddress remoteAddress, Configuration config) {
          return List.of();
        }

        @Override
        public boolean accept(
            String connectAddress,
            InetSocketAddress remoteAddress,
            PublicKey serverKey,
            Configuration config,
            CredentialsProvider provider) {
          return true;
        }
      };

  private final GitCredential credential;
  private final List<KeyPair> keys;

  MemoryKeySessionFactory(GitCredential credential) {
    super(new JGitKeyCache(), null);
    this.credential = credential;
    this.keys = parse(credential);
    // Nothing is read from here (keys are in memory, known hosts named explicitly), but JGit
    // needs directories; the temp directory keeps it away from the user's ~/.ssh.
    File scratch = new File(System.getProperty("java.io.tmpdir"));
    setHomeDirectory(scratch);
    setSshDirectory(scratch);
  }

  /**
   * The key pairs in the entry's key text.
   *
   * @throws IllegalArgumentException naming the entry (never the key) when it is not a readable
   *     unencrypted key
   */
  static List<KeyPair> parse(GitCredential credential) {
    String problem;
    try {
      Iterable<KeyPair> pairs =
          SecurityUtils.loadKeyPairIdentities(
              null,
              NamedResource.ofName(credential.url()),
              new ByteArrayInputStream(credential.sshPrivateKey().getBytes(StandardCharsets.UTF_8)),
              null);
      if (pairs != null && pairs.iterator().hasNext()) {
        List<KeyPair> list = new java.util.ArrayList<>();
        pairs.forEach(list::add);
        return List.copyOf(list);
      }
      problem = "no private key found";
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // The parser's message names the resource and the format, never the key material.
      problem = e.getClass().getSimpleName();
    }
    throw new IllegalArgumentException(
        "cannot read the SSH private key of "
            + credential
            + " ("
            + problem
            + "); it must be an unencrypted OpenSSH or PEM private key");
  }

  @Override
  protected Iterable<KeyPair> getDefaultKeys(File sshDir) {
    return keys;
  }

  @Override
  protected List<Path> getDefaultIdentities(File sshDir) {
    return List.of();
  }

  @Override
  protected SshConfigStore createSshConfigStore(
      File homeDir, File configFile, String localUserName) {
    return null;
  }

  @Override
  protected ServerKeyDatabase getServerKeyDatabase(File homeDir, File sshDir) {
    return credential.insecureIgnoreHostKey()
        ? ANY_HOST_KEY
        : super.getServerKeyDatabase(homeDir, sshDir);
  }

  @Override
  protected List<Path> getDefaultKnownHostsFiles(File sshDir) {
    Path knownHosts =
        credential.knownHosts() != null
            ? credential.knownHosts()
            : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    return Files.exists(knownHosts) ? List.of(knownHosts) : List.of();
  }

  @Override
  protected String getDefaultPreferredAuthentications() {
    return "publickey";
  }
}
