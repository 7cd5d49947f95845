package dev.flotilla.controlplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.tls.TlsConfigException;
import dev.flotilla.testkit.ServerTlsBadInputs;
import dev.flotilla.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading the server's certificate and key: what works, and a clear message for each mistake. The
 * same mistakes given to {@code flotilla server} are checked in the cli module
 * (ServerCommandTlsTest).
 */
class ServerTlsTest {

  @TempDir static Path dir;
  private static ServerTlsBadInputs inputs;

  @BeforeAll
  static void certificates() throws IOException {
    inputs = ServerTlsBadInputs.create(dir);
  }

  @Test
  void aPkcs8KeyAndItsChainLoad() {
    ServerTls tls = ServerTls.load(inputs.server().certFile(), inputs.server().keyFile());
    assertThat(tls.subject()).isEqualTo("CN=server");
    assertThat(tls.grpcCredentials()).isNotNull();
    assertThat(tls.keyCertOptions()).isNotNull();
  }

  @Test
  void aPkcs1RsaKeyAsCertManagerWritesItLoads() throws IOException {
    TestCertificates.Issued rsa = inputs.rsa();
    Path pkcs1 = TestCertificates.toPkcs1(rsa.keyFile(), dir.resolve("rsa-pkcs1.key"));
    assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(ServerTls.load(rsa.certFile(), pkcs1).subject()).isEqualTo("CN=rsa");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dev.flotilla.testkit.ServerTlsBadInputs#cases")
  void badInputIsRefusedNamingTheFlagAndFile(ServerTlsBadInputs.Case c) {
    assertThatThrownBy(() -> ServerTls.load(inputs.file(c.cert()), inputs.file(c.key())))
        .isInstanceOf(TlsConfigException.class)
        .message()
        .contains(c.message());
  }

  @Test
  void warnsOnlyWhenListeningBeyondLoopbackWithoutTls() {
    ServerTls tls = ServerTls.load(inputs.server().certFile(), inputs.server().keyFile());
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
}
