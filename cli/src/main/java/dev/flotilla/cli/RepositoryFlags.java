package dev.flotilla.cli;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The credential flags {@code repo add} and {@code repocreds add} share, named as Argo CD's: the
 * password from a flag or stdin, the SSH key from a file (read here, sent once over the API, never
 * printed).
 */
final class RepositoryFlags {

  @Option(names = "--username", paramLabel = "USER", description = "User for HTTPS.")
  String username;

  @Option(
      names = "--password",
      paramLabel = "PASSWORD",
      description =
          "Password or token for HTTPS. Visible in your shell history and process list:"
              + " prefer --password-stdin.")
  String password;

  @Option(
      names = "--password-stdin",
      description = "Read the password or token from the first line of standard input.")
  boolean passwordStdin;

  @Option(
      names = "--ssh-private-key-path",
      paramLabel = "FILE",
      description = "An unencrypted OpenSSH or PEM private key (a deploy key) for an SSH URL.")
  Path sshPrivateKeyPath;

  @Option(
      names = "--insecure-ignore-host-key",
      description =
          "SSH only: accept whatever host key the server shows (no known_hosts check), for these"
              + " repositories only. Open to a man in the middle: prefer adding the host key to"
              + " $FLOTILLA_HOME/ssh_known_hosts on the control plane.")
  boolean insecureIgnoreHostKey;

  @Option(
      names = "--upsert",
      description = "Replace the credentials if the URL is already known (else it is an error).")
  boolean upsert;

  /** The API request for {@code url}; the secrets read from stdin or a file as asked. */
  JsonObject request(String url, boolean template) throws CliException {
    if (password != null && passwordStdin) {
      throw new CliException("give --password or --password-stdin, not both");
    }
    if (sshPrivateKeyPath != null && (password != null || passwordStdin)) {
      throw new CliException("give a password (HTTPS) or --ssh-private-key-path (SSH), not both");
    }
    JsonObject body = new JsonObject().put("url", url).put("template", template);
    if (username != null) {
      body.put("username", username);
    }
    String secret = passwordStdin ? readStdin() : password;
    if (secret != null) {
      body.put("password", secret);
    }
    if (sshPrivateKeyPath != null) {
      body.put("sshPrivateKey", readKey(sshPrivateKeyPath));
    }
    if (insecureIgnoreHostKey) {
      body.put("insecureIgnoreHostKey", true);
    }
    return body;
  }

  /**
   * Refuses to replace what exists unless {@code --upsert} was given, as {@code argocd repo add}
   * does.
   */
  void checkNew(ApiClient client, String url, String what, String rm) throws CliException {
    if (!upsert && client.find(ApiClient.path("repositories", url)).isPresent()) {
      throw new CliException(
          what
              + " "
              + url
              + " already exists; pass --upsert to replace its credentials, or remove it first"
              + " with: flotilla "
              + rm
              + " "
              + url);
    }
  }

  private static String readStdin() throws CliException {
    try {
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (line == null || line.strip().isEmpty()) {
        throw new CliException(
            "--password-stdin: standard input was empty (e.g. echo \"$TOKEN\" | flotilla repo add"
                + " URL --username git --password-stdin)");
      }
      return line.strip();
    } catch (IOException e) {
      throw new CliException("--password-stdin: cannot read standard input: " + e.getMessage());
    }
  }

  private static String readKey(Path file) throws CliException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new CliException(
          "--ssh-private-key-path: " + file + " does not exist or is not a readable file");
    }
    try {
      if (Files.size(file) > 64 * 1024) {
        throw new CliException(
            "--ssh-private-key-path: " + file + " is larger than 64 KiB; is it a private key?");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliException("--ssh-private-key-path: cannot read " + file + ": " + e.getMessage());
    }
  }
}
