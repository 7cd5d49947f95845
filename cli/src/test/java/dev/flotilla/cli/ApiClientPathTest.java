package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every name a user types reaches the server as one path segment: a test server records the raw
 * request line, so {@code appset delete ../clusters/c2} can be seen to ask for an ApplicationSet
 * named {@code ../clusters/c2} and nothing else.
 */
class ApiClientPathTest {

  record Case(String name, String encoded) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> names() {
    return Stream.of(
        new Case("web-prod.v2_x~y", "web-prod.v2_x~y"),
        new Case("../clusters/c2", "..%2Fclusters%2Fc2"),
        new Case("../clusters/x/revoke?x=", "..%2Fclusters%2Fx%2Frevoke%3Fx%3D"),
        new Case("a#b", "a%23b"),
        new Case("100%", "100%25"),
        new Case("%2e%2e", "%252e%252e"),
        new Case("a b+c", "a%20b%2Bc"),
        new Case("...", "..."),
        new Case("a\u001b[2Jb", "a%1B%5B2Jb"),
        new Case("名前", "%E5%90%8D%E5%89%8D"));
  }

  private HttpServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String api() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void eachSegmentIsPercentEncodedAndDecodesBackExactly(Case c) throws Exception {
    String path = ApiClient.path("applicationsets", c.name());
    assertThat(path).isEqualTo("/api/v1/applicationsets/" + c.encoded());
    String segment = path.substring("/api/v1/applicationsets/".length());
    assertThat(segment).doesNotContain("/", "?", "#");
    assertThat(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8))
        .isEqualTo(c.name());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void cliCommandsSendTheNameAsOneSegment(Case c) {
    assertThat(
            CliRunner.runAgainst(api(), "t", "appset", "delete", "--wait=false", c.name())
                .exitCode())
        .isZero();
    assertThat(CliRunner.runAgainst(api(), "t", "app", "sync", c.name()).exitCode()).isZero();
    assertThat(CliRunner.runAgainst(api(), "t", "cluster", "revoke", c.name()).exitCode()).isZero();
    assertThat(CliRunner.runAgainst(api(), "t", "user", "delete", c.name()).exitCode()).isZero();
    assertThat(seen)
        .containsExactly(
            "DELETE /api/v1/applicationsets/" + c.encoded(),
            "POST /api/v1/applications/" + c.encoded() + "/sync",
            "POST /api/v1/clusters/" + c.encoded() + "/revoke",
            "DELETE /api/v1/users/" + c.encoded());
  }

  @Test
  void dotSegmentsAreRefusedBeforeAnyRequest() {
    for (String name : List.of("..", ".")) {
      CliRunner.Run run =
          CliRunner.runAgainst(api(), "t", "appset", "delete", "--wait=false", name);
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("'" + name + "' is not a valid name");
    }
    assertThatThrownBy(() -> ApiClient.path("teams", "a", "members", ""))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("empty");
    assertThat(seen).isEmpty();
  }

  @Test
  void errorMessagesFromTheServerAreEscapedOnTheTerminal() throws Exception {
    server.removeContext("/");
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              "{\"error\":\"no such thing: \\u001b]0;owned\\u0007\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(404, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    CliRunner.Run run = CliRunner.runAgainst(api(), "t", "appset", "delete", "--wait=false", "x");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("no such thing: \\e]0;owned\\u0007");
    assertThat(run.err().chars().filter(ch -> ch != '\n' && Character.isISOControl(ch))).isEmpty();
  }

  @Test
  void waitingForADeletionEndsWhenTheSetIsNoLongerBeingDeleted() {
    server.removeContext("/");
    server.createContext(
        "/",
        exchange -> {
          // The DELETE starts a deletion; the GET then finds the set applied again, not deleting.
          boolean delete = exchange.getRequestMethod().equals("DELETE");
          byte[] body =
              (delete
                      ? "{\"name\":\"x\",\"deletion\":{\"applications\":2,\"remaining\":2}}"
                      : "{\"metadata\":{\"name\":\"x\"},\"status\":{}}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(delete ? 202 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    CliRunner.Run run = CliRunner.runAgainst(api(), "t", "appset", "delete", "x");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("applicationset x exists and is not being deleted");
  }
}
