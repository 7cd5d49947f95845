package dev.flotilla.render.chart;

import static org.awaitility.Awaitility.await;

import dev.flotilla.core.digest.Digests;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code docker-registry} (the CNCF Distribution server) on loopback for tests, with
 * charts pushed through its HTTP API as {@code helm push} does (an OCI manifest whose layer has
 * Helm's chart media type). Tests using it are skipped when the binary is absent ({@code apt-get
 * install -y docker-registry}; {@code .ci/run} installs it).
 */
public final class OciTestRegistry implements AutoCloseable {

  public static final Path BINARY = Path.of("/usr/bin/docker-registry");

  private final Process process;
  private final int port;
  private final String authorization;
  private final HttpClient http = HttpClient.newHttpClient();

  /** Skips the calling test when the registry binary is not installed. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(
        Files.isExecutable(BINARY),
        BINARY + " is not installed (apt-get install -y docker-registry): OCI chart tests skipped");
  }

  /**
   * Starts a registry keeping its data under {@code dir}; with a {@code user}, every request needs
   * that user and {@code password} (htpasswd, basic authentication).
   */
  public OciTestRegistry(Path dir, String user, String password) throws Exception {
    assumeInstalled();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    StringBuilder config =
        new StringBuilder(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
                + "storage:\n  filesystem:\n    rootdirectory: "
                + dir.resolve("data")
                + "\nhttp:\n  addr: 127.0.0.1:"
                + port
                + "\n");
    if (user != null) {
      byte[] salt = new byte[16];
      new SecureRandom().nextBytes(salt);
      Files.writeString(
          dir.resolve("htpasswd"),
          user + ":" + OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, 5) + "\n");
      config
          .append("auth:\n  htpasswd:\n    realm: charts\n    path: ")
          .append(dir.resolve("htpasswd"))
          .append('\n');
      authorization =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    } else {
      authorization = null;
    }
    Path file = dir.resolve("config.yml");
    Files.writeString(file, config);
    process =
        new ProcessBuilder(BINARY.toString(), "serve", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> send(HttpRequest.newBuilder(uri("/v2/")).GET()).statusCode() != 0);
  }

  /** 127.0.0.1:PORT */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** Pushes chart {@code name} at {@code version} to repository {@code path}/{@code name}. */
  public void pushChart(String path, String name, String version, byte[] tgz) throws Exception {
    String repository = path + "/" + name;
    byte[] config =
        ("{\"apiVersion\":\"v2\",\"name\":\"" + name + "\",\"version\":\"" + version + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    String configDigest = pushBlob(repository, config);
    String chartDigest = pushBlob(repository, tgz);
    String manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.cncf.helm.config.v1+json\",\"digest\":\""
            + configDigest
            + "\",\"size\":"
            + config.length
            + "},\"layers\":[{\"mediaType\":\""
            + OciRegistryClient.CHART_LAYER_MEDIA_TYPE
            + "\",\"digest\":\""
            + chartDigest
            + "\",\"size\":"
            + tgz.length
            + "}]}";
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(
                    uri("/v2/" + repository + "/manifests/" + version.replace('+', '_')))
                .header("Content-Type", OciRegistryClient.MANIFEST_MEDIA_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString(manifest)));
    expect(201, r, "manifest push");
  }

  private String pushBlob(String repository, byte[] blob) throws Exception {
    String digest = "sha256:" + HexFormat.of().formatHex(Digests.sha256().digest(blob));
    HttpResponse<String> started =
        send(
            HttpRequest.newBuilder(uri("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    expect(202, started, "blob upload start");
    String location = started.headers().firstValue("Location").orElseThrow();
    URI upload = uri("/").resolve(location);
    String sep = upload.getQuery() == null ? "?" : "&";
    HttpResponse<String> done =
        send(
            HttpRequest.newBuilder(URI.create(upload + sep + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)));
    expect(201, done, "blob upload");
    return digest;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(
        request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://" + host() + path);
  }

  private static void expect(int status, HttpResponse<String> r, String what) throws IOException {
    if (r.statusCode() != status) {
      throw new IOException(what + ": HTTP " + r.statusCode() + " " + r.body());
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
