package dev.flotilla.render.chart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.flotilla.core.digest.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Helm chart repository on loopback for tests: an {@code index.yaml} listing the charts added,
 * each with its digest, and their packages under {@code /charts/}, behind HTTP basic authentication
 * when a user is given.
 */
public final class ChartRepositoryServer implements AutoCloseable {

  private record Published(String name, String version, byte[] tgz, String digest) {}

  private final HttpServer server;
  private final String user;
  private final String password;
  private final List<Published> charts = new CopyOnWriteArrayList<>();
  private final Map<String, byte[]> overrides = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  /** Anonymous access. */
  public ChartRepositoryServer() throws IOException {
    this(null, null);
  }

  /** Every request needs {@code user} and {@code password} (basic authentication). */
  public ChartRepositoryServer(String user, String password) throws IOException {
    this.user = user;
    this.password = password;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** http://127.0.0.1:PORT/charts-repo (no trailing slash) */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/repo";
  }

  /** Publishes a package; the index lists it with its sha256 digest. */
  public ChartRepositoryServer publish(String name, String version, byte[] tgz) {
    charts.add(
        new Published(name, version, tgz, HexFormat.of().formatHex(Digests.sha256().digest(tgz))));
    return this;
  }

  /**
   * Serves {@code body} at {@code path} instead of what the repository would (e.g. a bad package).
   */
  public void override(String path, byte[] body) {
    overrides.put(path, body);
  }

  /** Paths requested so far, in order. */
  public List<String> requests() {
    return new ArrayList<>(requests);
  }

  private void handle(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    requests.add(path);
    try (x) {
      if (user != null) {
        String expected =
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(x.getRequestHeaders().getFirst("Authorization"))) {
          x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"charts\"");
          x.sendResponseHeaders(401, -1);
          return;
        }
      }
      byte[] body = overrides.get(path);
      if (body == null && path.equals("/repo/index.yaml")) {
        body = index().getBytes(StandardCharsets.UTF_8);
      }
      for (Published p : charts) {
        if (body == null && path.equals("/repo/charts/" + p.name() + "-" + p.version() + ".tgz")) {
          body = p.tgz();
        }
      }
      if (body == null) {
        x.sendResponseHeaders(404, -1);
        return;
      }
      x.sendResponseHeaders(200, body.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private String index() {
    StringBuilder s = new StringBuilder("apiVersion: v1\nentries:\n");
    charts.stream()
        .map(Published::name)
        .distinct()
        .forEach(
            name -> {
              s.append("  ").append(name).append(":\n");
              for (Published p : charts) {
                if (p.name().equals(name)) {
                  s.append("  - name: ")
                      .append(name)
                      .append('\n')
                      .append("    version: ")
                      .append(p.version())
                      .append('\n')
                      .append("    digest: ")
                      .append(p.digest())
                      .append('\n')
                      .append("    urls:\n    - charts/")
                      .append(name)
                      .append('-')
                      .append(p.version())
                      .append(".tgz\n");
                }
              }
            });
    return s.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
