package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.testkit.HttpGitServer;
import dev.flotilla.testkit.SshGitServer;
import dev.flotilla.testkit.TestRepo;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private repositories end to end: credentials stored once on the control plane ({@code repo add},
 * {@code repocreds add}) drive git generators there and reach, over the agent stream, only the
 * agents whose Applications read those repositories; the agents have no credentials of their own.
 * No password or key appears in any API response, log line, error or agent state.
 */
class PrivateRepositoryE2E {

  private static final String USER = "deploy";
  private static final String PASSWORD = "pr1vate-T0ken-9f3c2a";

  @TempDir Path tmp;

  @Test
  void privateHttpsAndSshRepositoriesSyncOnAgentsWithoutCredentials() throws Exception {
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    try (LogCapture capture = LogCapture.start(logs)) {
      KeyPair client = SshGitServer.ecKeyPair();
      ByteArrayOutputStream keyText = new ByteArrayOutputStream();
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "deploy", null, keyText);
      String key = keyText.toString(StandardCharsets.UTF_8);
      List<String> keyLines =
          key.lines().filter(l -> l.length() >= 16 && !l.startsWith("-----")).toList();

      Path httpsRoot = Files.createDirectories(tmp.resolve("https"));
      Path sshRoot = Files.createDirectories(tmp.resolve("ssh"));
      TestRepo shop = new TestRepo(httpsRoot.resolve("shop"));
      shop.write("apps/web/config.yaml", configMap("web-config", "greeting", "hello"));
      shop.commit("web");
      TestRepo infra = new TestRepo(sshRoot.resolve("infra"));
      infra.write("apps/dns/config.yaml", configMap("dns-config", "zone", "example.com"));
      infra.commit("dns");
      TestRepo open = AppSets.appsOneRepo(tmp.resolve("public"), "hi", "public");

      try (HttpGitServer https = new HttpGitServer(httpsRoot, USER, PASSWORD);
          SshGitServer ssh = new SshGitServer(sshRoot, client.getPublic());
          Fleet fleet = new Fleet(tmp.resolve("fleet"), "east", "west")) {
        String shopUrl = https.url("shop");
        String infraUrl = ssh.url("infra");
        Files.writeString(tmp.resolve("fleet/cp/ssh_known_hosts"), ssh.knownHostsLine() + "\n");

        // HTTPS through a credential template (repocreds), SSH as a repository of its own.
        String prefix = shopUrl.substring(0, shopUrl.length() - "shop".length());
        assertThat(
                fleet
                    .rest(
                        "POST",
                        "/api/v1/repositories",
                        new JsonObject()
                            .put("url", prefix)
                            .put("template", true)
                            .put("username", USER)
                            .put("password", PASSWORD)
                            .encode())
                    .statusCode())
            .isEqualTo(201);
        assertThat(
                fleet
                    .rest(
                        "POST",
                        "/api/v1/repositories",
                        new JsonObject().put("url", infraUrl).put("sshPrivateKey", key).encode())
                    .statusCode())
            .isEqualTo(201);

        fleet.apply(directories("shop", shopUrl, "east"));
        fleet.apply(directories("infra", infraUrl, "east"));
        fleet.apply(directories("open", open.url(), "west"));
        fleet.awaitSynced("shop-web", "infra-dns", "open-one");
        assertThat(fleet.configMap("east", "web", "web-config").getData())
            .containsEntry("greeting", "hello");
        assertThat(fleet.configMap("east", "dns", "dns-config").getData())
            .containsEntry("zone", "example.com");

        // Each agent holds exactly its own repositories' credentials, the template resolved.
        assertThat(fleet.agent("east").receivedCredentialUrls())
            .containsExactlyInAnyOrder(shopUrl, infraUrl);
        assertThat(fleet.agent("west").receivedCredentialUrls()).isEmpty();

        // A new commit is fetched by the agent with what it holds.
        shop.write("apps/web/config.yaml", configMap("web-config", "greeting", "bonjour"));
        String sha = shop.commit("bonjour");
        Fleet.get(fleet.controlPlane().poller().pollOnce());
        fleet.awaitRevision(sha, "shop-web");
        assertThat(fleet.configMap("east", "web", "web-config").getData())
            .containsEntry("greeting", "bonjour");

        // repo rm withdraws the agent's copy; an agent restarted gets its set again.
        assertThat(
                fleet
                    .rest(
                        "DELETE",
                        "/api/v1/repositories/"
                            + URLEncoder.encode(infraUrl, StandardCharsets.UTF_8)
                                .replace("+", "%20"),
                        null)
                    .statusCode())
            .isEqualTo(204);
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(fleet.agent("east").receivedCredentialUrls())
                        .containsExactly(shopUrl));
        fleet.stopAgent("east");
        fleet.startAgent("east");
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(fleet.agent("east").receivedCredentialUrls())
                        .containsExactly(shopUrl));

        // Nothing ever shows a secret: API answers, state on disk, logs.
        StringBuilder answers = new StringBuilder();
        for (String path :
            List.of(
                "/api/v1/repositories",
                "/api/v1/applications",
                "/api/v1/applications/shop-web",
                "/api/v1/applicationsets",
                "/api/v1/applicationsets/shop",
                "/api/v1/clusters",
                "/api/v1/audit?limit=1000")) {
          var response = fleet.rest("GET", path, null);
          assertThat(response.statusCode()).as(path).isEqualTo(200);
          answers.append(response.body());
        }
        assertThat(answers.toString()).contains(shopUrl).contains("repositories");
        assertNoSecret("API responses", answers.toString(), keyLines);
        for (String cluster : Set.of("east", "west")) {
          try (Stream<Path> files = Files.walk(tmp.resolve("fleet/agents").resolve(cluster))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
              if (!f.toString().contains("/git/")) {
                assertNoSecret(f.toString(), Files.readString(f), keyLines);
              }
            }
          }
        }

        // Its last Application on the private repository gone, the agent holds no credentials.
        assertThat(fleet.rest("DELETE", "/api/v1/applicationsets/shop", null).statusCode())
            .isBetween(200, 204);
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> assertThat(fleet.agent("east").receivedCredentialUrls()).isEmpty());
      }
      capture.close();
      String logged = logs.toString(StandardCharsets.UTF_8);
      assertThat(logged).as("logs were captured").contains("agent connected for cluster");
      assertNoSecret("logs", logged, keyLines);
    }
  }

  private static void assertNoSecret(String where, String text, List<String> keyLines) {
    assertThat(text).as(where).doesNotContain(PASSWORD);
    for (String line : keyLines) {
      assertThat(text).as(where).doesNotContain(line);
    }
  }

  /** Every directory under apps/ of {@code repoUrl} as '{name}-{dir}' on {@code cluster}. */
  static String directories(String name, String repoUrl, String cluster) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - git:
                repoURL: %s
                revision: main
                directories:
                  - path: apps/*
          template:
            metadata:
              name: '%s-{{path.basename}}'
            spec:
              project: default
              source:
                repoURL: %s
                targetRevision: main
                path: '{{path}}'
              destination:
                name: %s
                namespace: '{{path.basename}}'
              syncPolicy:
                automated:
                  prune: true
        """
        .formatted(name, repoUrl, name, repoUrl, cluster);
  }
}
