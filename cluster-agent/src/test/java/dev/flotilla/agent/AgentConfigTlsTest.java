package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.tls.TlsConfigException;
import io.grpc.InsecureChannelCredentials;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How the agent decides between plaintext and TLS, and what it says when TLS fails. */
class AgentConfigTlsTest {

  private static AgentConfig config(String address, Path ca) {
    return AgentConfig.builder(address, "east", "flt_token")
        .caFile(ca)
        .stateDir(Path.of("/tmp/state"))
        .resyncInterval(Duration.ofMinutes(1))
        .workers(1)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .build();
  }

  record Case(String name, AgentConfig config, boolean tls, String target) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("host:port is plaintext", config("cp:9090", null), false, "cp:9090"),
        new Case("a CA file means TLS", config("cp:9090", Path.of("ca.crt")), true, "cp:9090"),
        new Case("https:// means TLS", config("https://cp:9090", null), true, "cp:9090"),
        new Case("trailing slash is dropped", config("https://cp:9090/", null), true, "cp:9090"),
        new Case(
            "withTls(null): system CAs", config("cp:9090", null).withTls(null), true, "cp:9090"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void tlsAndTarget(Case c) {
    assertThat(c.config().tls()).isEqualTo(c.tls());
    assertThat(c.config().target()).isEqualTo(c.target());
    if (c.config().caFile() == null) { // with one, the file is read (see below)
      assertThat(ControlPlaneTls.channelCredentials(c.config()))
          .isInstanceOf(c.tls() ? TlsChannelCredentials.class : InsecureChannelCredentials.class);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aFileStoreWithoutNamespaceOrCredentialsFileStillDecidesTlsByTheAddress(Case c) {
    AgentConfig full =
        AgentConfig.builder(c.config().controlPlane(), "east", "t")
            .stateDir(Path.of("/tmp/state"))
            .resyncInterval(Duration.ofMinutes(1))
            .workers(1)
            .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .stateStore(AgentConfig.StateStore.FILE)
            .stateNamespace(null)
            .gitCredentialsFile(null)
            .build();
    assertThat(full.tls()).isEqualTo(c.config().controlPlane().startsWith("https://"));
  }

  @Test
  void aMissingCaFileIsAStartUpErrorNamingTheFlag() {
    assertThatThrownBy(
            () ->
                ControlPlaneTls.channelCredentials(
                    config("cp:9090", Path.of("/nonexistent/ca.crt"))))
        .isInstanceOf(TlsConfigException.class)
        .hasMessageContaining("--ca-file")
        .hasMessageContaining("/nonexistent/ca.crt");
  }

  @Test
  void anUntrustedCertificateSaysToPassTheCaFile() {
    SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
    handshake.initCause(
        new CertificateException("unable to find valid certification path to requested target"));
    Status status = Status.UNAVAILABLE.withDescription("io exception").withCause(handshake);
    assertThat(ControlPlaneTls.tlsProblem(status, config("cp:9090", null).withTls(null)))
        .contains("cp:9090", "not trusted", "--ca-file");
  }

  @Test
  void otherFailuresAreNotCalledTlsProblems() {
    Status refused =
        Status.UNAVAILABLE.withCause(new java.net.ConnectException("Connection refused"));
    assertThat(ControlPlaneTls.tlsProblem(refused, config("cp:9090", null))).isNull();
    assertThat(ControlPlaneTls.tlsProblem(Status.UNAUTHENTICATED, config("cp:9090", null)))
        .isNull();
  }
}
