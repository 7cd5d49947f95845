package dev.flotilla.controlplane.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one REST answer path ({@link Http#reply}): what a handler's parse step throws, what its
 * future fails with and what it succeeds with, answered over real HTTP on loopback.
 */
class HttpReplyTest {

  private static Vertx vertx;
  private static HttpServer server;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  record Case(String name, Supplier<Future<String>> call, int status, String error) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> refusals() {
    return Stream.of(
        new Case(
            "bad parameter thrown while parsing",
            () -> {
              throw new IllegalArgumentException("limit: must be a whole number");
            },
            400,
            "limit: must be a whole number"),
        new Case(
            "invalid input thrown while parsing",
            () -> {
              throw ApiException.invalid("label: bad selector");
            },
            400,
            "label: bad selector"),
        new Case(
            "not found",
            () -> Future.failedFuture(ApiException.notFound("application", "web")),
            404,
            "application 'web' not found"),
        new Case(
            "hidden looks like not found",
            () -> Future.failedFuture(ApiException.hidden("application", "web")),
            404,
            "application 'web' not found"),
        new Case(
            "forbidden",
            () -> Future.failedFuture(ApiException.forbidden("may not sync 'web'")),
            403,
            "may not sync 'web'"),
        new Case(
            "exists",
            () ->
                Future.failedFuture(
                    new ApiException(ApiException.Kind.EXISTS, "cluster 'east' exists")),
            409,
            "cluster 'east' exists"),
        new Case(
            "precondition",
            () ->
                Future.failedFuture(
                    new ApiException(ApiException.Kind.PRECONDITION, "sync window closed")),
            409,
            "sync window closed"),
        new Case(
            "unavailable",
            () ->
                Future.failedFuture(
                    new ApiException(ApiException.Kind.UNAVAILABLE, "agent not connected")),
            503,
            "agent not connected"),
        new Case(
            "too large",
            () -> Future.failedFuture(new ApiException(ApiException.Kind.TOO_LARGE, "too big")),
            413,
            "too big"),
        new Case(
            "bad input found later",
            () -> Future.failedFuture(new IllegalArgumentException("revision: unknown")),
            400,
            "revision: unknown"));
  }

  private static Supplier<Future<String>> current;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    RequestBodies bodies = new RequestBodies(vertx);
    router.route().handler(BodyHandler.create(false));
    router.route().handler(bodies::parse);
    router.get("/case").handler(ctx -> Http.reply(ctx, 200, current, r -> json(r)));
    router
        .get("/ok")
        .handler(ctx -> Http.reply(ctx, 202, () -> Future.succeededFuture("x"), r -> json(r)));
    router
        .get("/bad-answer")
        .handler(
            ctx ->
                Http.reply(
                    ctx,
                    200,
                    () -> Future.succeededFuture("x"),
                    r -> {
                      throw new IllegalArgumentException("answer: cannot be shown");
                    }));
    router
        .delete("/gone")
        .handler(ctx -> Http.replyNoContent(ctx, () -> Future.<Void>succeededFuture()));
    router
        .get("/broken")
        .handler(
            ctx ->
                Http.reply(
                    ctx,
                    200,
                    () ->
                        Future.<String>failedFuture(new IllegalStateException("password=hunter2")),
                    HttpReplyTest::json));
    router
        .post("/body")
        .handler(
            ctx ->
                Http.reply(
                    ctx,
                    201,
                    () -> Future.succeededFuture(Http.string(Http.body(ctx), "name", "")),
                    HttpReplyTest::json));
    router
        .post("/optional")
        .handler(
            ctx ->
                Http.reply(
                    ctx,
                    200,
                    () -> Future.succeededFuture(Http.optionalBody(ctx).encode()),
                    HttpReplyTest::json));
    server =
        vertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject json(String value) {
    return new JsonObject().put("value", value);
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusalsAnswerTheirStatusAndNameWhatIsWrong(Case c) throws Exception {
    current = c.call();
    HttpResponse<String> r = send("GET", "/case", null);
    assertThat(r.statusCode()).isEqualTo(c.status());
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo(c.error());
  }

  @Test
  void aResultIsAnsweredWithTheHandlersStatusAndJson() throws Exception {
    HttpResponse<String> r = send("GET", "/ok", null);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(new JsonObject(r.body())).isEqualTo(json("x"));
    HttpResponse<String> gone = send("DELETE", "/gone", null);
    assertThat(gone.statusCode()).isEqualTo(204);
    assertThat(gone.body()).isEmpty();
  }

  @Test
  void anAnswerThatCannotBeBuiltIsARefusalToo() throws Exception {
    HttpResponse<String> r = send("GET", "/bad-answer", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("error")).isEqualTo("answer: cannot be shown");
  }

  @Test
  void anUnexpectedFailureIsAnInternalErrorThatShowsNothingOfIt() throws Exception {
    HttpResponse<String> r = send("GET", "/broken", null);
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).doesNotContain("hunter2");
  }

  @Test
  void bodiesAreCheckedWithAMessageNamingWhatIsWrong() throws Exception {
    assertThat(send("POST", "/body", "{\"name\":\"east\"}").body()).contains("\"east\"");
    HttpResponse<String> empty = send("POST", "/body", null);
    assertThat(empty.statusCode()).isEqualTo(400);
    assertThat(empty.body()).contains("empty body: send a JSON object");
    HttpResponse<String> list = send("POST", "/body", "[1]");
    assertThat(list.statusCode()).isEqualTo(400);
    assertThat(list.body()).contains("body is not a JSON object");
    HttpResponse<String> wrongType = send("POST", "/body", "{\"name\":3}");
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.body()).contains("name: must be a string");
    assertThat(new JsonObject(send("POST", "/optional", null).body()).getString("value"))
        .isEqualTo("{}");
    assertThat(send("POST", "/optional", "[1]").statusCode()).isEqualTo(400);
  }
}
