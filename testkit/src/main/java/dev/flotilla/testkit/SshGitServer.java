package dev.flotilla.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.AbstractCommandSupport;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.UploadPack;

/**
 * An SSH Git server on loopback (Apache MINA sshd, as bundled with JGit's SSH transport) that
 * serves {@code git-upload-pack} for repositories under a directory (bare ones, or work trees such
 * as a {@link TestRepo}) to one public key, as user {@code git}.
 */
public final class SshGitServer implements AutoCloseable {

  private final SshServer server;
  private final KeyPair hostKey;

  public SshGitServer(Path repositories, PublicKey authorized) throws Exception {
    hostKey = ecKeyPair();
    server = SshServer.setUpDefaultServer();
    server.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setPublickeyAuthenticator(
        (user, key, session) -> "git".equals(user) && KeyUtils.compareKeys(key, authorized));
    server.setCommandFactory((channel, command) -> new UploadPackCommand(command, repositories));
    server.start();
  }

  /** An EC P-256 key pair: supported by the JDK and sshd without extra providers. */
  public static KeyPair ecKeyPair() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** ssh://git@127.0.0.1:PORT/NAME */
  public String url(String name) {
    return "ssh://git@"
        + InetAddress.getLoopbackAddress().getHostAddress()
        + ":"
        + server.getPort()
        + "/"
        + name;
  }

  /** The known_hosts line vouching for this server's host key. */
  public String knownHostsLine() {
    return "["
        + InetAddress.getLoopbackAddress().getHostAddress()
        + "]:"
        + server.getPort()
        + " "
        + PublicKeyEntry.toString(hostKey.getPublic());
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }

  private static final class UploadPackCommand extends AbstractCommandSupport {
    private final Path repositories;

    UploadPackCommand(String command, Path repositories) {
      super(command, null);
      this.repositories = repositories;
    }

    @Override
    public void run() {
      List<String> args = List.of(getCommand().split(" ", 2));
      if (args.size() != 2 || !args.get(0).equals("git-upload-pack")) {
        onExit(127, "only git-upload-pack is served");
        return;
      }
      String name = args.get(1).replace("'", "").replaceFirst("^/", "");
      Path dir = repositories.resolve(name).normalize();
      if (!dir.startsWith(repositories)) {
        onExit(128, "no such repository");
        return;
      }
      Path gitDir = Files.isDirectory(dir.resolve(".git")) ? dir.resolve(".git") : dir;
      try (Repository repo =
          new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
        new UploadPack(repo).upload(getInputStream(), getOutputStream(), getErrorStream());
        onExit(0);
      } catch (IOException e) {
        onExit(128, e.getMessage());
      }
    }
  }
}
