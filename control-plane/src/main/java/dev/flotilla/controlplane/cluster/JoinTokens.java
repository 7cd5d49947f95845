package dev.flotilla.controlplane.cluster;

import dev.flotilla.core.digest.Digests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Join tokens for agents: 256 random bits, shown once, stored as SHA-256. A fast hash is enough
 * because the token has full entropy (no dictionary to try).
 */
public final class JoinTokens {

  private static final SecureRandom RANDOM = new SecureRandom();

  private JoinTokens() {}

  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "flt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static String hash(String token) {
    return Digests.sha256Hex(token);
  }

  /** Constant-time comparison of a presented token with a stored hash. */
  public static boolean matches(String token, String storedHash) {
    if (token == null || storedHash == null) {
      return false;
    }
    return MessageDigest.isEqual(
        hash(token).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
