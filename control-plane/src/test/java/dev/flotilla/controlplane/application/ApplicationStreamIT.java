package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/stream/applications}: the named Applications, then their changes, only those
 * the caller may see (a hidden one looks missing: nothing is ever sent about it), over a real
 * socket.
 */
class ApplicationStreamIT {

  private static final String POLICY =
      """
      g, admin, role:admin
      p, team-a, applications, get, team-a/*, allow
      """;

  @TempDir Path home;
  private ControlPlane cp;
  private final HttpClient http = HttpClient.newHttpClient();
  private String alice;

  @BeforeEach
  void start() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0), TestDatabases.fresh());
    String admin = cp.adminToken().value();
    ok(send(admin, "POST", "/api/v1/users", "{\"name\":\"alice\"}"), 201);
    ok(send(admin, "POST", "/api/v1/teams", "{\"name\":\"team-a\"}"), 201);
    ok(send(admin, "PUT", "/api/v1/teams/team-a/members/alice", ""), 200);
    ok(send(admin, "PUT", "/api/v1/policy", new JsonObject().put("policy", POLICY).encode()), 200);
    ok(send(admin, "POST", "/api/v1/clusters", "{\"name\":\"east\"}"), 201);
    for (String team : List.of("team-a", "team-b")) {
      ok(send(admin, "POST", "/api/v1/projects", project(team)), 200);
      ok(send(admin, "POST", "/api/v1/applicationsets", appSet(team)), 200);
    }
    HttpResponse<String> token =
        send(admin, "POST", "/api/v1/tokens", "{\"user\":\"alice\",\"description\":\"test\"}");
    ok(token, 201);
    alice = new JsonObject(token.body()).getString("token");
  }

  @AfterEach
  void stop() throws Exception {
    cp.close();
  }

  @Test
  void sendsTheVisibleApplicationsThenTheirChangesAndNothingAboutHiddenOnes() throws Exception {
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    HttpResponse<Stream<String>> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + cp.httpPort()
                            + "/api/v1/stream/applications?name=team-b-east&name=team-a-east"
                            + "&name=nope"))
                .header("Authorization", "Bearer " + alice)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    CompletableFuture<Void> reader =
        CompletableFuture.runAsync(
            () -> response.body().forEach(line -> events.add(new JsonObject(line))));
    try {
      List<JsonObject> seen = new ArrayList<>();
      seen.add(events.poll(30, TimeUnit.SECONDS));
      assertThat(seen.get(0)).isNotNull();
      assertThat(seen.get(0).getJsonObject("result").getString("type")).isEqualTo("ADDED");

      // A change of the hidden one first, then of the visible one: only the latter arrives.
      cp.events().changed("team-b-east");
      cp.events().changed("team-a-east");
      cp.events().changed("someone-else");
      seen.add(events.poll(30, TimeUnit.SECONDS));
      assertThat(seen.get(1)).isNotNull();
      assertThat(seen.get(1).getJsonObject("result").getString("type")).isEqualTo("MODIFIED");
      for (JsonObject e : seen) {
        JsonObject app = e.getJsonObject("result").getJsonObject("application");
        assertThat(app.getString("name")).isEqualTo("team-a-east");
        assertThat(app.getString("project")).isEqualTo("team-a");
        assertThat(app.getLong("statusGeneration")).isNotNull();
      }
      assertThat(events).as("nothing about team-b-east or nope").isEmpty();
    } finally {
      response.body().close();
      reader.cancel(true);
    }
  }

  @Test
  void refusesTooManyNamesAndNone() throws Exception {
    StringBuilder query = new StringBuilder("?");
    for (int i = 0; i <= ApplicationStreamRoutes.MAX_NAMES; i++) {
      query.append("name=a").append(i).append('&');
    }
    HttpResponse<String> many = send(alice, "GET", ApplicationStreamRoutes.PATH + query, null);
    assertThat(many.statusCode()).isEqualTo(400);
    assertThat(many.body()).contains("at most " + ApplicationStreamRoutes.MAX_NAMES);
    HttpResponse<String> none = send(alice, "GET", ApplicationStreamRoutes.PATH + "?name=", null);
    assertThat(none.statusCode()).isEqualTo(400);
    assertThat(none.body()).contains("give at least one Application name");
  }

  private static String project(String name) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: AppProject
        metadata:
          name: %s
        spec:
          sourceRepos: ['*']
          destinations:
            - {server: '*', name: '*', namespace: '*'}
        """
        .formatted(name);
  }

  private static String appSet(String project) {
    return """
        apiVersion: argoproj.io/v1alpha1
        kind: ApplicationSet
        metadata:
          name: %s
        spec:
          generators:
            - list:
                elements:
                  - {cluster: east}
          template:
            metadata:
              name: '%s-{{cluster}}'
            spec:
              project: %s
              source:
                repoURL: https://example.invalid/repo.git
                path: web
              destination:
                name: '{{cluster}}'
                namespace: web
        """
        .formatted(project, project, project);
  }

  private static void ok(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
  }

  private HttpResponse<String> send(String token, String method, String path, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.httpPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
