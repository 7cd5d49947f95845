package dev.flotilla.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made at test time with the JDK's own keytool (no network, no extra library): a
 * private CA, and server certificates it issues for localhost and 127.0.0.1, written as the PEM
 * files an operator would pass to {@code --tls-cert}, {@code --tls-key} and {@code --cacert}.
 */
public final class TestCertificates {

  private static final String PASSWORD = "changeit";

  /** A CA: its certificate in PEM (what clients trust) and its key store (to issue with). */
  public record Ca(String name, Path certFile, Path keyStore, Path dir) {

    /**
     * A server certificate signed by this CA for {@code localhost} and {@code 127.0.0.1}: {@code
     * certFile} holds the chain (leaf, then this CA), {@code keyFile} its PKCS#8 key.
     */
    public Issued issue(String name) throws IOException {
      return issue(name, "EC");
    }

    /** The same with an {@code RSA} or {@code EC} key (EC is ten times faster to make). */
    public Issued issue(String name, String keyAlgorithm) throws IOException {
      Path store = dir.resolve(name + ".p12");
      keytool(
          "-genkeypair",
          "-alias",
          name,
          "-dname",
          "CN=" + name,
          "-keyalg",
          keyAlgorithm,
          "-validity",
          "2",
          "-storetype",
          "PKCS12",
          "-keystore",
          store.toString(),
          "-storepass",
          PASSWORD);
      Path csr = dir.resolve(name + ".csr");
      keytool(
          "-certreq",
          "-alias",
          name,
          "-keystore",
          store.toString(),
          "-storepass",
          PASSWORD,
          "-file",
          csr.toString());
      Path leaf = dir.resolve(name + "-leaf.pem");
      keytool(
          "-gencert",
          "-alias",
          this.name,
          "-keystore",
          keyStore.toString(),
          "-storepass",
          PASSWORD,
          "-infile",
          csr.toString(),
          "-outfile",
          leaf.toString(),
          "-rfc",
          "-validity",
          "2",
          "-ext",
          "SAN=dns:localhost,ip:127.0.0.1",
          "-ext",
          "EKU=serverAuth");
      Path chain = dir.resolve(name + ".crt");
      Files.writeString(chain, Files.readString(leaf).strip() + "\n" + Files.readString(certFile));
      Path key = dir.resolve(name + ".key");
      try {
        Files.writeString(
            key, pem("PRIVATE KEY", load(store).getKey(name, PASSWORD.toCharArray())));
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      }
      return new Issued(chain, key);
    }
  }

  /** A server certificate chain and its private key, both PEM. */
  public record Issued(Path certFile, Path keyFile) {}

  private TestCertificates() {}

  /** A new self-signed CA named {@code name}, its files under {@code dir}. */
  public static Ca ca(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path store = dir.resolve(name + ".p12");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-dname",
        "CN=" + name,
        "-keyalg",
        "EC",
        "-validity",
        "2",
        "-ext",
        "bc:c",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        PASSWORD);
    Path cert = dir.resolve(name + ".crt");
    try {
      Files.writeString(cert, pem("CERTIFICATE", load(store).getCertificate(name)));
    } catch (Exception e) {
      throw new IOException(e);
    }
    return new Ca(name, cert, store, dir);
  }

  /** The same RSA key as PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), as cert-manager writes it. */
  public static Path toPkcs1(Path pkcs8Pem, Path target) throws IOException {
    byte[] der = decode(Files.readString(pkcs8Pem));
    // PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING rsaPrivateKey }
    int[] pos = {0};
    header(der, pos); // outer SEQUENCE
    skip(der, pos); // version
    skip(der, pos); // algorithm
    int length = header(der, pos); // OCTET STRING
    byte[] pkcs1 = java.util.Arrays.copyOfRange(der, pos[0], pos[0] + length);
    Files.writeString(target, pem("RSA PRIVATE KEY", pkcs1));
    return target;
  }

  private static int header(byte[] der, int[] pos) {
    pos[0]++; // tag
    int first = der[pos[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[pos[0]++] & 0xff);
    }
    return length;
  }

  private static void skip(byte[] der, int[] pos) {
    int length = header(der, pos);
    pos[0] += length;
  }

  private static byte[] decode(String pem) {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return Base64.getDecoder().decode(body);
  }

  private static KeyStore load(Path store) throws IOException {
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, PASSWORD.toCharArray());
      return ks;
    } catch (Exception e) {
      throw new IOException("cannot read " + store, e);
    }
  }

  private static String pem(String type, Object material) throws IOException {
    byte[] der;
    try {
      der =
          material instanceof Certificate c
              ? c.getEncoded()
              : material instanceof Key k ? k.getEncoded() : (byte[]) material;
    } catch (Exception e) {
      throw new IOException(e);
    }
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.add("-noprompt");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
