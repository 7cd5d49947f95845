package dev.flotilla.core.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hex digests of UTF-8 text, the one way Flotilla hashes: token hashes stored in Postgres, cache
 * directory names, tracking labels and desired-state digests sent to the control plane. The output
 * is lower-case hex, so values already stored or sent stay byte-identical.
 */
public final class Digests {

  private Digests() {}

  /** A fresh SHA-256 digest for hashing in several parts. */
  public static MessageDigest sha256() {
    return digest("SHA-256");
  }

  /** SHA-256 of the UTF-8 bytes of {@code text}. */
  public static byte[] sha256(String text) {
    return sha256().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The whole SHA-256 of {@code text}, 64 lower-case hex digits. */
  public static String sha256Hex(String text) {
    return HexFormat.of().formatHex(sha256(text));
  }

  /**
   * The first {@code bytes} bytes of the SHA-256 of {@code text} in hex ({@code 2 * bytes} digits):
   * short names where a full digest would be needlessly long.
   *
   * @throws IllegalArgumentException unless 1 ≤ bytes ≤ 32
   */
  public static String sha256Hex(String text, int bytes) {
    if (bytes < 1 || bytes > 32) {
      throw new IllegalArgumentException("a SHA-256 prefix has 1 to 32 bytes, not " + bytes);
    }
    return HexFormat.of().formatHex(sha256(text), 0, bytes);
  }

  /**
   * The hex digest of {@code text} with a JDK algorithm ({@code SHA-1}, {@code SHA-256}, {@code
   * SHA-512}...), as template functions such as {@code sha1sum} need.
   *
   * @throws IllegalArgumentException for an algorithm the JDK does not have
   */
  public static String hex(String algorithm, String text) {
    return HexFormat.of()
        .formatHex(digest(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      // SHA-1, SHA-256 and SHA-512 are required of every JRE; anything else is a programming error.
      throw new IllegalArgumentException("no digest algorithm '" + algorithm + "' in this JRE", e);
    }
  }
}
