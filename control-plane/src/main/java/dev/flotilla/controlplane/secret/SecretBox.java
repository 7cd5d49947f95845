package dev.flotilla.controlplane.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets before they reach Postgres (AES-256-GCM, a fresh 96-bit nonce per value). Each
 * value is bound to what it belongs to (e.g. a repository URL) as associated data, so a row copied
 * onto another repository does not decrypt. The sealed form is text: {@code v1:} and the base64 of
 * nonce, ciphertext and tag.
 */
public final class SecretBox {

  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;

  /**
   * @param key 32 bytes
   */
  public SecretBox(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the secret key must be 32 bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
  }

  /** The sealed form of {@code plaintext}, bound to {@code boundTo}. */
  public String seal(String plaintext, String boundTo) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return PREFIX
          + Base64.getEncoder()
              .encodeToString(
                  ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available in this JVM", e);
    }
  }

  /**
   * The plaintext of {@code sealed}.
   *
   * @throws SecretException when it was sealed with another key, for another owner, or altered; the
   *     message never contains any of it
   */
  public String open(String sealed, String boundTo) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new SecretException("a stored secret is not in a known format");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new SecretException("a stored secret is not in a known format");
    }
    if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new SecretException("a stored secret is truncated");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new SecretException(
          "a stored secret does not decrypt with this server's key (was FLOTILLA_SECRET_KEY or"
              + " the key file changed?)");
    } catch (GeneralSecurityException e) {
      throw new SecretException(
          "a stored secret cannot be decrypted: " + e.getClass().getSimpleName());
    }
  }
}
