package dev.flotilla.controlplane.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.testkit.HttpGitServer;
import dev.flotilla.testkit.SshGitServer;
import dev.flotilla.testkit.TestRepo;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane reads a private repository with the credentials stored by {@code repo add}: the
 * git generator and revision resolution use them, an added or replaced entry takes effect without a
 * restart, and each fetch leaves its connection state (success, or the error with no secret in it)
 * for {@code repo list}.
 */
class StoredCredentialsIT {

  private static final String USER = "deploy";
  private static final String PASSWORD = "tok-Right-7733";
  private static final String WRONG = "tok-Wrong-4411";

  @TempDir Path tmp;
  private ControlPlane cp;
  private String admin;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(tmp.resolve("home"))
                .withListen("127.0.0.1", 0, 0)
                .withGitPollInterval(Duration.ofHours(1)),
            TestDatabases.fresh());
    admin = cp.bootstrapToken().orElseThrow();
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  @Test
  void aPrivateRepositoryDrivesAGitGeneratorOnceItsCredentialsAreAdded() throws Exception {
    Path served = tmp.resolve("served");
    try (TestRepo repo = new TestRepo(served.resolve("apps"));
        HttpGitServer server = new HttpGitServer(served, USER, PASSWORD)) {
      repo.write("apps/one/cm.yaml", TestRepo.configMap("one", "k", "v"));
      repo.write("apps/two/cm.yaml", TestRepo.configMap("two", "k", "v"));
      String head = repo.commit("two apps");
      String url = server.url("apps");

      assertThat(
              send("POST", "/api/v1/clusters", new JsonObject().put("name", "east").encode())
                  .statusCode())
          .isEqualTo(201);
      await(cp.controller().apply(appSet(url)).otherwiseEmpty());
      await(cp.controller().reconcile("private").otherwiseEmpty());
      assertThat(status()).contains("Authentication is required").contains("flotilla repo add");
      assertThat(names()).isEmpty();

      addRepository(url, PASSWORD);
      await(cp.controller().reconcile("private"));
      assertThat(names()).containsExactlyInAnyOrder("one", "two");
      assertThat(revisionOf("one")).isEqualTo(head);
      // The fetch's outcome is recorded after the fetch, not awaited by the generation.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                JsonObject state = connectionState(url);
                assertThat(state.getString("lastSuccessAt")).isNotNull();
                assertThat(state.getString("lastError")).isNull();
              });

      // Replaced with a wrong token: refused at the next fetch, shown, never repeated.
      addRepository(url, WRONG);
      repo.write("apps/three/cm.yaml", TestRepo.configMap("three", "k", "v")).commit("three");
      await(cp.controller().reconcile("private").otherwiseEmpty());
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> connectionState(url).getString("lastError") != null);
      JsonObject failed = connectionState(url);
      assertThat(failed.getString("lastError"))
          .contains("cannot fetch " + url)
          .contains("not authorized")
          .contains("user '" + USER + "' of the repository " + url)
          .doesNotContain(WRONG)
          .doesNotContain(PASSWORD);
      assertThat(failed.getString("lastErrorAt")).isNotNull();
      assertThat(names()).as("a failed generation keeps what exists").hasSize(2);
      assertThat(status()).doesNotContain(WRONG).doesNotContain(PASSWORD);

      // Removed: the next fetch goes without, and says how to add them.
      send("DELETE", "/api/v1/repositories/" + encode(url), null);
      await(cp.controller().reconcile("private").otherwiseEmpty());
      assertThat(status()).contains("Authentication is required");
    }
  }

  @Test
  void aPrivateSshRepositoryWithAStoredKeyIsReadOnceItsHostKeyIsKnown() throws Exception {
    KeyPair client = SshGitServer.ecKeyPair();
    ByteArrayOutputStream keyText = new ByteArrayOutputStream();
    OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "deploy", null, keyText);
    String key = keyText.toString(StandardCharsets.UTF_8);
    String keyLine = key.lines().skip(1).findFirst().orElseThrow();
    Path served = tmp.resolve("served-ssh");
    try (TestRepo repo = new TestRepo(served.resolve("infra"));
        SshGitServer server = new SshGitServer(served, client.getPublic())) {
      repo.write("apps/one/cm.yaml", TestRepo.configMap("one", "k", "v")).commit("one");
      String url = server.url("infra");
      assertThat(
              send("POST", "/api/v1/clusters", new JsonObject().put("name", "east").encode())
                  .statusCode())
          .isEqualTo(201);
      HttpResponse<String> added =
          send(
              "POST",
              "/api/v1/repositories",
              new JsonObject().put("url", url).put("sshPrivateKey", key).encode());
      assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
      await(cp.controller().apply(appSet(url)).otherwiseEmpty());
      await(cp.controller().reconcile("private").otherwiseEmpty());
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> connectionState(url).getString("lastError") != null);
      assertThat(connectionState(url).getString("lastError"))
          .as("no host key vouched for yet: refused, never trusted on first use")
          .contains("Server key did not validate")
          .doesNotContain(keyLine);

      Files.writeString(tmp.resolve("home/ssh_known_hosts"), server.knownHostsLine() + "\n");
      // Any change reloads the stored entries, and with them the known-hosts file.
      assertThat(
              send(
                      "POST",
                      "/api/v1/repositories",
                      new JsonObject().put("url", url).put("sshPrivateKey", key).encode())
                  .statusCode())
          .isEqualTo(201);
      await(cp.controller().reconcile("private"));
      assertThat(names()).containsExactly("one");
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> connectionState(url).getString("lastSuccessAt") != null);
      assertThat(status()).doesNotContain(keyLine);
    }
  }

  private static String appSet(String url) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: private
        spec:
          generators:
            - git:
                repoURL: %s
                revision: main
                directories:
                  - path: apps/*
          template:
            metadata:
              name: '{{path.basename}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: '{{path}}'
              destination:
                name: east
                namespace: '{{path.basename}}'
        """
        .formatted(url, url);
  }

  private void addRepository(String url, String password) throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/api/v1/repositories",
            new JsonObject()
                .put("url", url)
                .put("username", USER)
                .put("password", password)
                .encode());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  private JsonObject connectionState(String url) throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/repositories/" + encode(url), null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(PASSWORD).doesNotContain(WRONG);
    return new JsonObject(r.body()).getJsonObject("connectionState");
  }

  private String status() throws Exception {
    return await(cp.applicationSets().get("private")).orElseThrow().status().encode();
  }

  private List<String> names() throws Exception {
    return await(cp.applications().listAll()).stream().map(StoredApplication::name).toList();
  }

  private String revisionOf(String name) throws Exception {
    return await(cp.applications().listAll()).stream()
        .filter(a -> a.name().equals(name))
        .findFirst()
        .map(StoredApplication::revision)
        .orElse(null);
  }

  private static String encode(String url) {
    return URLEncoder.encode(url, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .header("Authorization", "Bearer " + admin)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
