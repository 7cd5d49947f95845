package dev.flotilla.core.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Reads PEM certificates and private keys with the JDK alone, so that the control plane, the CLI
 * and the agent accept the same files and every mistake is reported with the flag and file that
 * caused it. Private keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519) or PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}, cert-manager's default encoding).
 */
public final class Pem {

  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----",
          Pattern.DOTALL);

  /** rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, as PKCS#8 wants it. */
  private static final byte[] RSA_ALGORITHM_ID = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private Pem() {}

  /**
   * The certificates of a PEM file, in file order (a chain starts with the leaf).
   *
   * @param what how the user named the file, e.g. {@code "--tls-cert"}, used in every message
   * @throws TlsConfigException when the file is missing, unreadable or holds no PEM certificate
   */
  public static List<X509Certificate> certificates(Path file, String what) {
    String text = read(file, what);
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 support", e);
    }
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      if (!m.group(1).equals("CERTIFICATE")) {
        continue;
      }
      try {
        certificates.add(
            (X509Certificate)
                factory.generateCertificate(new ByteArrayInputStream(decode(m.group(2)))));
      } catch (CertificateException | IllegalArgumentException e) {
        throw new TlsConfigException(
            what + " " + file + ": a CERTIFICATE block cannot be parsed (" + e.getMessage() + ")");
      }
    }
    if (certificates.isEmpty()) {
      throw new TlsConfigException(
          what
              + " "
              + file
              + ": no PEM certificate found (expected a block starting with -----BEGIN"
              + " CERTIFICATE-----)");
    }
    return certificates;
  }

  /**
   * The one private key of a PEM file.
   *
   * @throws TlsConfigException when the file is missing, holds no key, an encrypted key, or a key
   *     in an encoding the JDK cannot read
   */
  public static PrivateKey privateKey(Path file, String what) {
    String text = read(file, what);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der;
      try {
        der = decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new TlsConfigException(what + " " + file + ": the " + type + " block is not base64");
      }
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(der, file, what);
        case "RSA PRIVATE KEY":
          return pkcs8(wrapPkcs1(der), file, what);
        case "ENCRYPTED PRIVATE KEY":
          throw new TlsConfigException(
              what
                  + " "
                  + file
                  + ": the private key is encrypted; give an unencrypted key (openssl pkcs8"
                  + " -topk8 -nocrypt -in KEY -out KEY.pem)");
        case "EC PRIVATE KEY":
          throw new TlsConfigException(
              what
                  + " "
                  + file
                  + ": SEC1 EC keys (BEGIN EC PRIVATE KEY) are not read; convert to PKCS#8 with"
                  + " openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem");
        default:
          // e.g. a CERTIFICATE in a combined file: look further.
      }
    }
    throw new TlsConfigException(
        what
            + " "
            + file
            + ": no PEM private key found (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA"
            + " PRIVATE KEY-----)");
  }

  /**
   * Checks that {@code key} belongs to the first (leaf) certificate by signing with one and
   * verifying with the other: a mismatch otherwise surfaces only as a handshake failure on every
   * client.
   */
  public static void requireMatch(
      X509Certificate leaf, PrivateKey key, Path certFile, Path keyFile) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null;
        };
    if (algorithm == null) {
      throw new TlsConfigException(
          "private key " + keyFile + ": unsupported key algorithm " + key.getAlgorithm());
    }
    boolean matches;
    try {
      byte[] probe = "flotilla key check".getBytes(StandardCharsets.UTF_8);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // Different algorithms (an EC key for an RSA certificate) end up here.
      matches = false;
    }
    if (!matches) {
      throw new TlsConfigException(
          "the private key "
              + keyFile
              + " does not match the certificate "
              + certFile
              + " (subject "
              + leaf.getSubjectX500Principal().getName()
              + ")");
    }
  }

  /** Trust exactly the certificates of {@code caFile} (a private CA, or a self-signed cert). */
  public static TrustManagerFactory trustManagers(Path caFile, String what) {
    List<X509Certificate> cas = certificates(caFile, what);
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsConfigException(what + " " + caFile + ": cannot be used (" + e + ")");
    }
  }

  /** An SSLContext trusting exactly the certificates of {@code caFile}. */
  public static SSLContext clientContext(Path caFile, String what) {
    TrustManagerFactory trust = trustManagers(caFile, what);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no TLS", e);
    }
  }

  /** A key manager presenting {@code chain} with {@code key}. */
  public static KeyManagerFactory keyManagers(List<X509Certificate> chain, PrivateKey key) {
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsConfigException("cannot build a key store from the certificate and key: " + e);
    }
  }

  private static String read(Path file, String what) {
    if (file == null) {
      throw new TlsConfigException(what + ": no file given");
    }
    if (!Files.isRegularFile(file)) {
      throw new TlsConfigException(what + " " + file + ": file does not exist");
    }
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new TlsConfigException(what + " " + file + ": cannot be read (" + e.getMessage() + ")");
    }
  }

  private static byte[] decode(String base64) {
    return Base64.getMimeDecoder().decode(base64);
  }

  private static PrivateKey pkcs8(byte[] der, Path file, String what) {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // Try the next algorithm: PKCS#8 names it inside, but KeyFactory wants it up front.
      }
    }
    throw new TlsConfigException(
        what + " " + file + ": the private key is not an RSA, EC or Ed25519 key the JDK can read");
  }

  /** PKCS#1 RSAPrivateKey -> PKCS#8 PrivateKeyInfo { version 0, rsaEncryption, key }. */
  static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM_ID);
    body.write(0x04);
    writeLength(body, pkcs1.length);
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    writeLength(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length < 0x80) {
      out.write(length);
      return;
    }
    int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
    out.write(0x80 | bytes);
    for (int i = bytes - 1; i >= 0; i--) {
      out.write((length >>> (8 * i)) & 0xff);
    }
  }
}
