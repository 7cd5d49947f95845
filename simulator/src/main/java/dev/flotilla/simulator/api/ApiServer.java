package dev.flotilla.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.simulator.store.ObjectStore;
import dev.flotilla.simulator.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes REST API of a SIMULATED cluster, over plain HTTP on loopback: /version, health,
 * discovery, and every verb on every served type of the {@link ObjectStore}. Runs on one event loop
 * and never blocks it: the store is in memory. Every refusal is a Kubernetes {@code Status}; an
 * unexpected failure is a 500 {@code Status} naming the exception class, never a stack trace.
 */
public final class ApiServer {

  static final int MAX_RECORDED = 100_000;
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();
  private final AtomicInteger recorded = new AtomicInteger();

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

  private final Vertx vertx;
  private final ApiServerOptions options;
  private final Discovery discovery;
  private final OpenApiV3 openApi;
  private final ResourceHandler resources;
  private HttpServer server;

  public ApiServer(Vertx vertx, ObjectStore store, ApiServerOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.discovery = new Discovery(store);
    this.openApi = new OpenApiV3(store);
    this.resources = new ResourceHandler(store, options, new WatchStream(vertx, store, options));
  }

  /** Listens on 127.0.0.1 and the given port (0: a free one); completes with the server. */
  public Future<ApiServer> listen(int port) {
    HttpServerOptions http =
        new HttpServerOptions().setHost("127.0.0.1").setPort(port).setCompressionSupported(false);
    return vertx
        .createHttpServer(http)
        .requestHandler(this::handle)
        .listen()
        .map(
            s -> {
              server = s;
              return this;
            });
  }

  /**
   * Every request received since the last call, oldest first, as "METHOD uri" (at most the last
   * {@value #MAX_RECORDED}): lets tests prove what a client did, or did not, write.
   */
  public List<String> drainRequests() {
    List<String> drained = new ArrayList<>();
    String r;
    while ((r = requests.poll()) != null) {
      drained.add(r);
    }
    return drained;
  }

  private void recordRequest(String request) {
    requests.add(request);
    if (recorded.incrementAndGet() > MAX_RECORDED) {
      requests.poll();
      recorded.decrementAndGet();
    }
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest req) {
    HttpMethod m = req.method();
    if (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || m.equals(HttpMethod.OPTIONS)) {
      dispatch(req, new byte[0]);
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] tooLarge = {false};
    req.handler(
        chunk -> {
          if (tooLarge[0]) {
            return;
          }
          if (body.length() + chunk.length() > options.maxBodyBytes()) {
            tooLarge[0] = true;
            Replies.status(
                req.response(),
                413,
                "RequestEntityTooLarge",
                "the request body is larger than " + options.maxBodyBytes() + " bytes",
                null);
            return;
          }
          body.appendBuffer(chunk);
        });
    req.exceptionHandler(e -> LOG.debug("request body of {} failed", req.path(), e));
    req.endHandler(
        v -> {
          if (!tooLarge[0]) {
            dispatch(req, body.getBytes());
          }
        });
  }

  private void dispatch(HttpServerRequest req, byte[] body) {
    if (options.recordRequests()) {
      recordRequest(req.method().name() + " " + req.uri());
    }
    RequestTarget target = null;
    HttpServerResponse response = req.response();
    try {
      List<String> segments = segments(req.path());
      target = RequestTarget.parse(segments);
      if (target != null) {
        resources.handle(req, target, body);
      } else {
        if (!req.method().equals(HttpMethod.GET)) {
          throw ApiException.methodNotAllowed(
              "the method "
                  + req.method().name()
                  + " on "
                  + req.path()
                  + " is not supported by this SIMULATED API server");
        }
        serveNonResource(req, segments);
      }
    } catch (StoreException e) {
      // a create has no name in its path: the store's message names the object, as "name"
      Matcher quoted = QUOTED.matcher(e.getMessage());
      RequestTarget named =
          target != null && target.name() == null && quoted.find()
              ? new RequestTarget(
                  target.group(),
                  target.version(),
                  target.namespace(),
                  target.resource(),
                  quoted.group(1),
                  null)
              : target;
      Replies.status(response, e.code(), e.reason(), e.getMessage(), named);
    } catch (ApiException e) {
      Replies.status(response, e.code(), e.reason(), e.getMessage(), target);
    } catch (RuntimeException e) {
      LOG.warn("The simulated API server failed on {} {}", req.method(), req.path(), e);
      Replies.status(
          response,
          500,
          "InternalError",
          "the SIMULATED API server failed on this request (" + e.getClass().getSimpleName() + ")",
          target);
    }
  }

  private void serveNonResource(HttpServerRequest req, List<String> segments) {
    HttpServerResponse response = req.response();
    String first = segments.isEmpty() ? "" : segments.get(0);
    int n = segments.size();
    switch (first) {
      case "version" -> Replies.json(response, 200, Discovery.version());
      case "healthz", "readyz", "livez" ->
          response.putHeader("Content-Type", "text/plain").end("ok");
      case "api" -> {
        if (n == 1) {
          Replies.json(response, 200, discovery.coreVersions("127.0.0.1:" + port()));
        } else if (n == 2) {
          found(response, discovery.resources("", segments.get(1)), req.path());
        } else {
          notFound(req.path());
        }
      }
      case "apis" -> {
        if (n == 1) {
          Replies.json(response, 200, discovery.groupList());
        } else if (n == 2) {
          found(response, discovery.group(segments.get(1)), req.path());
        } else if (n == 3) {
          found(response, discovery.resources(segments.get(1), segments.get(2)), req.path());
        } else {
          notFound(req.path());
        }
      }
      case "openapi" -> {
        if (n >= 2 && segments.get(1).equals("v3")) {
          found(
              response,
              n == 2
                  ? openApi.root()
                  : openApi.groupVersion(String.join("/", segments.subList(2, n))),
              req.path());
        } else {
          throw ApiException.notFound(
              "OpenAPI v2 is not simulated by this API server (a minimal /openapi/v3 is)");
        }
      }
      default -> notFound(req.path());
    }
  }

  private static void found(HttpServerResponse response, JsonNode doc, String path) {
    if (doc == null) {
      notFound(path);
    }
    Replies.json(response, 200, doc);
  }

  private static void notFound(String path) {
    throw ApiException.notFound(
        "the server could not find the requested resource: " + path + " is not simulated");
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
