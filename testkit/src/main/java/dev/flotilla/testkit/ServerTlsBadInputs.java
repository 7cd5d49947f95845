package dev.flotilla.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Certificates, keys and the bad start-up inputs made of them, shared by {@link ServerTlsTest}
 * (which loads them directly) and the CLI's tests of {@code flotilla server} (which pass them as
 * flags), so that both check the same mistakes with the same expected words.
 */
public final class ServerTlsBadInputs {

  /** A bad start-up input and the words its message must contain. */
  public record Case(String name, String cert, String key, List<String> message) {
    @Override
    public String toString() {
      return name;
    }
  }

  private final Path dir;
  private final TestCertificates.Issued server;
  private final TestCertificates.Issued other;
  private final TestCertificates.Issued rsa;

  private ServerTlsBadInputs(
      Path dir,
      TestCertificates.Issued server,
      TestCertificates.Issued other,
      TestCertificates.Issued rsa) {
    this.dir = dir;
    this.server = server;
    this.other = other;
    this.rsa = rsa;
  }

  /** Writes a CA, three certificates and the broken files of {@link #cases()} under {@code dir}. */
  public static ServerTlsBadInputs create(Path dir) throws IOException {
    TestCertificates.Ca ca = TestCertificates.ca(dir.resolve("ca"), "test-ca");
    ServerTlsBadInputs inputs =
        new ServerTlsBadInputs(dir, ca.issue("server"), ca.issue("other"), ca.issue("rsa", "RSA"));
    Files.writeString(dir.resolve("garbage.pem"), "this is not PEM\n");
    Files.writeString(
        dir.resolve("encrypted.key"),
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
    Files.writeString(
        dir.resolve("sec1.key"),
        "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n");
    return inputs;
  }

  public static Stream<Case> cases() {
    return Stream.of(
        new Case("missing key file", "server.crt", "nope.key", List.of("--tls-key", "nope.key")),
        new Case(
            "missing cert file",
            "nope.crt",
            "server.key",
            List.of("--tls-cert", "nope.crt", "does not exist")),
        new Case(
            "key of another certificate",
            "server.crt",
            "other.key",
            List.of("other.key", "does not match", "server.crt")),
        new Case(
            "RSA key for an EC certificate",
            "server.crt",
            "rsa.key",
            List.of("rsa.key", "does not match", "server.crt")),
        new Case(
            "certificate file is not PEM",
            "garbage.pem",
            "server.key",
            List.of("--tls-cert", "garbage.pem", "no PEM certificate")),
        new Case(
            "key file holds a certificate",
            "server.crt",
            "server.crt",
            List.of("--tls-key", "server.crt", "no PEM private key")),
        new Case(
            "encrypted key",
            "server.crt",
            "encrypted.key",
            List.of("--tls-key", "encrypted.key", "encrypted")),
        new Case(
            "SEC1 EC key", "server.crt", "sec1.key", List.of("--tls-key", "sec1.key", "PKCS#8")),
        new Case("key flag alone", null, "server.key", List.of("--tls-cert", "is missing")),
        new Case("cert flag alone", "server.crt", null, List.of("--tls-key", "is missing")));
  }

  public TestCertificates.Issued server() {
    return server;
  }

  public TestCertificates.Issued rsa() {
    return rsa;
  }

  /** The file a {@link Case} names, or null when the case leaves the flag out. */
  public Path file(String name) {
    if (name == null) {
      return null;
    }
    return switch (name) {
      case "server.crt" -> server.certFile();
      case "server.key" -> server.keyFile();
      case "other.key" -> other.keyFile();
      case "rsa.key" -> rsa.keyFile();
      default -> dir.resolve(name);
    };
  }
}
