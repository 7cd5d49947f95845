package dev.flotilla.controlplane.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the key that encrypts stored secrets comes from: {@code FLOTILLA_SECRET_KEY} (32 bytes,
 * base64) when set — what replicas sharing one Postgres must use — otherwise the file {@code
 * secret.key} in the server's home, generated at first start and readable by its owner only.
 */
public final class SecretKeys {

  public static final String ENV = "FLOTILLA_SECRET_KEY";
  static final String FILE = "secret.key";
  private static final Logger LOG = LoggerFactory.getLogger(SecretKeys.class);

  private SecretKeys() {}

  /**
   * @param fromEnv the value of {@link #ENV}, or null
   * @param home the server's home directory, where the key file lives
   * @throws IllegalArgumentException naming the variable or file that is wrong (never the key)
   */
  public static SecretBox load(String fromEnv, Path home) throws IOException {
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new SecretBox(decode(fromEnv.strip(), ENV));
    }
    Path file = home.resolve(FILE);
    if (!Files.exists(file)) {
      create(file);
    }
    return new SecretBox(
        decode(Files.readString(file, StandardCharsets.US_ASCII).strip(), file.toString()));
  }

  private static byte[] decode(String text, String where) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          where + " is not base64; generate a key with: head -c 32 /dev/urandom | base64");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(
          where
              + " holds "
              + key.length
              + " bytes, but the secret key must be 32 bytes (head -c 32 /dev/urandom | base64)");
    }
    return key;
  }

  private static void create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
    // Written aside and moved into place, so nobody ever reads a half-written key.
    Path temp = file.resolveSibling(FILE + "." + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(temp);
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(ownerOnly));
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(temp);
    }
    Files.writeString(
        temp, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException raced) {
      Files.deleteIfExists(temp);
      return; // another replica on the same home made it first: use theirs
    }
    LOG.info(
        "generated the key that encrypts stored secrets: {} (back it up; replicas need the same key"
            + " in {})",
        file,
        ENV);
  }
}
