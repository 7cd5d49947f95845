package dev.flotilla.controlplane.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The bootstrap admin token as kept in {@code $FLOTILLA_HOME/admin.token}, a file only its owner
 * can read, from which the CLI on the same machine picks it up. The token itself is an ordinary API
 * token of the {@code admin} user: revoke it like any other once real users exist.
 */
public final class AdminToken {

  private final Path file;
  private final String token;

  private AdminToken(Path file, String token) {
    this.file = file;
    this.token = token;
  }

  /** Writes a new token over whatever the file held. */
  public static AdminToken write(Path file, String token) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system; the file stays as the umask made it.
    }
    Files.writeString(tmp, token + "\n");
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return new AdminToken(file, token);
  }

  /** The token in the file, or an empty value when there is none. */
  public static AdminToken read(Path file) throws IOException {
    return new AdminToken(file, Files.exists(file) ? Files.readString(file).trim() : "");
  }

  public String value() {
    return token;
  }

  public Path file() {
    return file;
  }
}
