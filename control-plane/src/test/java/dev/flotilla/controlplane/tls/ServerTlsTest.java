package dev.flotilla.controlplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.cli.CliRunner;
import dev.flotilla.core.tls.TlsConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading the server's certificate and key: what works, and a clear message for each mistake. */
class ServerTlsTest {

  @TempDir static Path dir;
  private static TestCertificates.Issued server;
  private static TestCertificates.Issued other;
  private static TestCertificates.Issued rsa;

  @BeforeAll
  static void certificates() throws IOException {
    TestCertificates.Ca ca = TestCertificates.ca(dir.resolve("ca"), "test-ca");
    server = ca.issue("server");
    other = ca.issue("other");
    rsa = ca.issue("rsa", "RSA");
    Files.writeString(dir.resolve("garbage.pem"), "this is not PEM\n");
    Files.writeString(
        dir.resolve("encrypted.key"),
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
    Files.writeString(
        dir.resolve("sec1.key"),
        "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n");
  }

  @Test
  void aPkcs8KeyAndItsChainLoad() {
    ServerTls tls = ServerTls.load(server.certFile(), server.keyFile());
    assertThat(tls.subject()).isEqualTo("CN=server");
    assertThat(tls.grpcCredentials()).isNotNull();
    assertThat(tls.keyCertOptions()).isNotNull();
  }

  @Test
  void aPkcs1RsaKeyAsCertManagerWritesItLoads() throws IOException {
    Path pkcs1 = TestCertificates.toPkcs1(rsa.keyFile(), dir.resolve("rsa-pkcs1.key"));
    assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(ServerTls.load(rsa.certFile(), pkcs1).subject()).isEqualTo("CN=rsa");
  }

  /** A bad start-up input and the words its message must contain. */
  record Case(String name, String cert, String key, List<String> message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
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

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputIsRefusedNamingTheFlagAndFile(Case c) {
    assertThatThrownBy(() -> ServerTls.load(file(c.cert()), file(c.key())))
        .isInstanceOf(TlsConfigException.class)
        .message()
        .contains(c.message());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void flotillaServerStopsBeforeListeningOnBadInput(Case c) {
    List<String> args = new java.util.ArrayList<>(List.of("server", "--http-port", "0"));
    if (c.cert() != null) {
      args.addAll(List.of("--tls-cert", file(c.cert()).toString()));
    }
    if (c.key() != null) {
      args.addAll(List.of("--tls-key", file(c.key()).toString()));
    }
    // The check comes before Postgres and the listeners: a bad file returns at once with 2.
    CliRunner.Run run = CliRunner.run(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: ").contains(c.message());
    assertThat(run.out()).doesNotContain("starting");
  }

  @Test
  void warnsOnlyWhenListeningBeyondLoopbackWithoutTls() {
    ServerTls tls = ServerTls.load(server.certFile(), server.keyFile());
    assertThat(ServerTls.plaintextWarning("127.0.0.1", null)).isEmpty();
    assertThat(ServerTls.plaintextWarning("localhost", null)).isEmpty();
    assertThat(ServerTls.plaintextWarning("::1", null)).isEmpty();
    assertThat(ServerTls.plaintextWarning("0.0.0.0", tls)).isEmpty();
    assertThat(ServerTls.plaintextWarning("0.0.0.0", null))
        .hasValueSatisfying(
            w ->
                assertThat(w)
                    .contains("0.0.0.0", "without TLS", "--tls-cert")
                    .doesNotContain("\n"));
  }

  private static Path file(String name) {
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
