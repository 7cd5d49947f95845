package dev.flotilla.controlplane.rest;

import dev.flotilla.controlplane.cluster.JoinTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The bootstrap admin token that guards changes over REST until users and RBAC exist. Created at
 * first start in a file only its owner can read; the CLI picks it up from there.
 */
public final class AdminToken {

  private final String token;

  private AdminToken(String token) {
    this.token = token;
  }

  public static AdminToken loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      return new AdminToken(Files.readString(file).trim());
    }
    Files.createDirectories(file.getParent());
    String token = JoinTokens.newToken();
    Files.writeString(file, token + "\n");
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system; the file stays as the umask made it.
    }
    return new AdminToken(token);
  }

  public String value() {
    return token;
  }

  /** Checks an {@code Authorization} header value. */
  public boolean accepts(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
      return false;
    }
    return JoinTokens.matches(authorizationHeader.substring(7).trim(), JoinTokens.hash(token));
  }
}
