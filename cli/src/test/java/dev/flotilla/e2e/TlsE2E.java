package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flotilla.cli.CliRunner;
import dev.flotilla.controlplane.tls.ServerTls;
import dev.flotilla.proto.api.v1.ClusterServiceGrpc;
import dev.flotilla.proto.api.v1.ListClustersRequest;
import dev.flotilla.testkit.TestCertificates;
import dev.flotilla.testkit.TestRepo;
import io.grpc.CallCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control plane serving TLS on both ports, over real sockets: the CLI, a platform API client and
 * an agent that trust its CA work; clients that do not trust it, or speak plaintext, fail clearly.
 */
class TlsE2E {

  @TempDir static Path certs;
  private static TestCertificates.Ca ca;
  private static TestCertificates.Ca otherCa;
  private static TestCertificates.Issued server;
  private static TestCertificates.Issued impostor;

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;

  @BeforeAll
  static void certificates() throws Exception {
    ca = TestCertificates.ca(certs.resolve("ca"), "flotilla-ca");
    otherCa = TestCertificates.ca(certs.resolve("other"), "someone-else");
    server = ca.issue("control-plane");
    impostor = otherCa.issue("impostor");
  }

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write("apps/web/config.yaml", configMap("web-config", "greeting", "hello"));
    repo.commit("web");
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    repo.close();
  }

  private static ServerTls tls(TestCertificates.Issued issued) {
    return ServerTls.load(issued.certFile(), issued.keyFile());
  }

  private String https() {
    return "https://127.0.0.1:" + fleet.controlPlane().httpPort();
  }

  private CliRunner.Run cli(String api, String... args) {
    return CliRunner.runAgainst(api, fleet.controlPlane().adminToken().value(), args);
  }

  private String appSet() {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: web
        spec:
          generators:
            - list:
                elements:
                  - cluster: east
          template:
            metadata:
              name: 'web-{{cluster}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: apps/web
              destination:
                name: '{{cluster}}'
                namespace: web
              syncPolicy:
                automated:
                  prune: true
        """
        .formatted(repo.url());
  }

  @Test
  void cliOverHttpsWorksWhenTheCaIsTrustedAndSaysWhatToDoWhenNot() throws Exception {
    fleet = new Fleet(tmp.resolve("fleet"), Fleet.POLL, tls(server), null);

    CliRunner.Run trusted = cli(https(), "cluster", "list", "--cacert", ca.certFile().toString());
    assertThat(trusted.exitCode()).as(trusted.err()).isZero();

    // The JDK's default trust store does not know our private CA.
    CliRunner.Run untrusted = cli(https(), "cluster", "list");
    assertThat(untrusted.exitCode()).isEqualTo(1);
    assertThat(untrusted.err())
        .startsWith("error: ")
        .contains("not trusted", "--cacert", "FLOTILLA_CACERT")
        .doesNotContain("Exception", "\tat ");

    CliRunner.Run wrongCa =
        cli(https(), "cluster", "list", "--cacert", otherCa.certFile().toString());
    assertThat(wrongCa.exitCode()).isEqualTo(1);
    assertThat(wrongCa.err()).contains("not trusted", "--cacert");

    CliRunner.Run missingCa =
        cli(https(), "cluster", "list", "--cacert", tmp.resolve("nope.pem").toString());
    assertThat(missingCa.exitCode()).isEqualTo(1);
    assertThat(missingCa.err()).contains("--cacert", "nope.pem", "does not exist");
  }

  @Test
  void aLoginRemembersTheCaItTrustedForThatControlPlane() throws Exception {
    Assumptions.assumeTrue(System.getenv("FLOTILLA_HOME") == null, "FLOTILLA_HOME is set");
    Assumptions.assumeTrue(System.getenv("FLOTILLA_CACERT") == null, "FLOTILLA_CACERT is set");
    fleet = new Fleet(tmp.resolve("fleet"), Fleet.POLL, tls(server), null);
    String before = System.getProperty("user.home");
    System.setProperty("user.home", tmp.resolve("home").toString());
    try {
      String token = fleet.controlPlane().adminToken().value();
      CliRunner.Run login =
          CliRunner.run(
              "login", "--api", https(), "--token", token, "--cacert", ca.certFile().toString());
      assertThat(login.exitCode()).as(login.err()).isZero();
      // No --api, --token or --cacert: all three come from the login.
      CliRunner.Run list = CliRunner.run("cluster", "list");
      assertThat(list.exitCode()).as(list.err()).isZero();
    } finally {
      System.setProperty("user.home", before);
    }
  }

  @Test
  void plaintextClientsAreRefusedByTheTlsServer() throws Exception {
    fleet = new Fleet(tmp.resolve("fleet"), Fleet.POLL, tls(server), null);

    CliRunner.Run http =
        cli("http://127.0.0.1:" + fleet.controlPlane().httpPort(), "cluster", "list");
    assertThat(http.exitCode()).isEqualTo(1);
    assertThat(http.err()).startsWith("error: ").contains("https://");

    ManagedChannel plaintext =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", fleet.controlPlane().grpcPort(), InsecureChannelCredentials.create())
            .build();
    try {
      assertThatThrownBy(
              () ->
                  HealthGrpc.newBlockingStub(plaintext)
                      .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                      .check(HealthCheckRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      plaintext.shutdownNow();
    }
  }

  @Test
  void aPlaintextServerToldByAnHttpsClientSaysToUseHttp() throws Exception {
    fleet = new Fleet(tmp.resolve("fleet"));
    CliRunner.Run run = cli(https(), "cluster", "list", "--cacert", ca.certFile().toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("error: ").contains("http://");
  }

  @Test
  void platformApiAndHealthOverTls() throws Exception {
    fleet = new Fleet(tmp.resolve("fleet"), Fleet.POLL, tls(server), null);
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress(
                "localhost",
                fleet.controlPlane().grpcPort(),
                TlsChannelCredentials.newBuilder().trustManager(ca.certFile().toFile()).build())
            .build();
    try {
      assertThat(
              HealthGrpc.newBlockingStub(channel)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus())
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
      assertThat(
              ClusterServiceGrpc.newBlockingStub(channel)
                  .withCallCredentials(bearer(fleet.controlPlane().adminToken().value()))
                  .list(ListClustersRequest.getDefaultInstance())
                  .getClustersList())
          .isEmpty();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void anAgentTrustingTheCaDeploysOverTls() throws Exception {
    fleet = new Fleet(tmp.resolve("fleet"), Fleet.POLL, tls(server), ca.certFile(), "east");
    fleet.apply(appSet());
    fleet.awaitSynced("web-east");
    assertThat(fleet.configMap("east", "web", "web-config")).isNotNull();
  }

  @Test
  void anAgentRefusesAnUntrustedCertificateClearlyAndConnectsOnceTheRightOneIsServed()
      throws Exception {
    // The control plane first serves a certificate from a CA the agent does not trust.
    fleet = new Fleet(tmp.resolve("fleet"), Fleet.POLL, tls(impostor), ca.certFile(), "east");
    fleet.apply(appSet());
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(fleet.agent("east").lastTlsFailure())
                    .contains("not trusted", "--ca-file", ca.certFile().toString()));
    assertThat(fleet.application("web-east"))
        .hasValueSatisfying(a -> assertThat(a.isSyncedAtCurrentGeneration()).isFalse());
    assertThat(fleet.configMap("east", "web", "web-config")).isNull();

    // Same ports and database, the right certificate: the agent's backoff finds it on its own.
    var database = fleet.controlPlane().database().connectOptions();
    int http = fleet.controlPlane().httpPort();
    int grpc = fleet.controlPlane().grpcPort();
    fleet.stopControlPlane();
    fleet.startControlPlane(http, grpc, database, tls(server));
    fleet.awaitSynced("web-east");
    assertThat(fleet.agent("east").lastTlsFailure()).isNull();
  }

  private static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(
          RequestInfo info, Executor executor, MetadataApplier applier) {
        Metadata m = new Metadata();
        m.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        applier.apply(m);
      }
    };
  }
}
