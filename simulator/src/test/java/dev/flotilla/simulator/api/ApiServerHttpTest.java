package dev.flotilla.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.simulator.SimulatedCluster;
import dev.flotilla.simulator.SimulatedClusterOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a client sees on the wire: Status errors, Tables, watch streams. */
class ApiServerHttpTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  static SimulatedCluster cluster;
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @BeforeAll
  static void start() {
    cluster =
        SimulatedCluster.start(
            "http-test",
            SimulatedClusterOptions.defaults()
                .withoutControllers()
                .withWatchHistory(20)
                .withApi(ApiServerOptions.defaults().withBookmarkInterval(Duration.ofMillis(200))));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static HttpResponse<String> send(
      String method, String path, String contentType, String body, String accept) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(Duration.ofSeconds(10));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode status(HttpResponse<String> r, int code) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(code);
    JsonNode s = JSON.readTree(r.body());
    assertThat(s.path("kind").asText()).isEqualTo("Status");
    assertThat(s.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(s.path("status").asText()).isEqualTo("Failure");
    assertThat(s.path("code").asInt()).isEqualTo(code);
    return s;
  }

  @Test
  void versionSaysSimulated() throws Exception {
    HttpResponse<String> r = send("GET", "/version", null, null, null);
    assertThat(JSON.readTree(r.body()).path("gitVersion").asText()).isEqualTo("v1.32.0-simulated");
    assertThat(send("GET", "/readyz", null, null, null).body()).isEqualTo("ok");
  }

  @Test
  void unknownPathsVerbsAndPatchTypesAreStatusErrorsNamingWhatIsNotSimulated() throws Exception {
    assertThat(
            status(send("GET", "/apis/example.com/v1/widgets", null, null, null), 404)
                .path("message")
                .asText())
        .contains("widgets in example.com/v1 is not served");
    assertThat(status(send("GET", "/metrics", null, null, null), 404).path("message").asText())
        .contains("/metrics is not simulated");
    assertThat(
            status(send("POST", "/version", "application/json", "{}", null), 405)
                .path("reason")
                .asText())
        .isEqualTo("MethodNotAllowed");
    assertThat(
            status(
                    send(
                        "PUT",
                        "/api/v1/namespaces/default/configmaps",
                        "application/json",
                        "{}",
                        null),
                    405)
                .path("message")
                .asText())
        .contains("PUT on configmaps");
    send(
        "POST",
        "/api/v1/namespaces/default/configmaps",
        "application/json",
        "{\"metadata\":{\"name\":\"patched\"}}",
        null);
    JsonNode unsupported =
        status(
            send(
                "PATCH",
                "/api/v1/namespaces/default/configmaps/patched",
                "application/xml-patch+xml",
                "{}",
                null),
            415);
    assertThat(unsupported.path("message").asText())
        .contains("accepted media types include: application/json-patch+json");
    assertThat(
            status(
                    send(
                        "POST",
                        "/api/v1/namespaces/default/configmaps",
                        "application/json",
                        "[1]",
                        null),
                    400)
                .path("message")
                .asText())
        .contains("must be an object");
    assertThat(
            status(send("GET", "/api/v1/pods?labelSelector=app%20in%20(a", null, null, null), 400)
                .path("message")
                .asText())
        .contains("unable to parse requirement");
    assertThat(
            status(
                    send(
                        "GET",
                        "/api/v1/configmaps?fieldSelector=spec.nodeName%3Dx",
                        null,
                        null,
                        null),
                    400)
                .path("message")
                .asText())
        .contains("field label not supported: spec.nodeName");
    JsonNode notFound =
        status(
            send("GET", "/apis/apps/v1/namespaces/default/deployments/ghost", null, null, null),
            404);
    assertThat(notFound.path("message").asText()).isEqualTo("deployments.apps \"ghost\" not found");
    assertThat(notFound.path("details").path("name").asText()).isEqualTo("ghost");
    assertThat(notFound.path("details").path("group").asText()).isEqualTo("apps");
    assertThat(notFound.path("details").path("kind").asText()).isEqualTo("deployments");
  }

  @Test
  void aTableHasKubectlsColumns() throws Exception {
    send(
        "POST",
        "/api/v1/namespaces",
        "application/json",
        "{\"metadata\":{\"name\":\"tables\"}}",
        null);
    send(
        "POST",
        "/apis/apps/v1/namespaces/tables/deployments",
        "application/json",
        "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":3,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
            + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"nginx\"}]}}}}",
        null);
    HttpResponse<String> r =
        send(
            "GET",
            "/apis/apps/v1/namespaces/tables/deployments",
            null,
            null,
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    JsonNode table = JSON.readTree(r.body());
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    List<String> columns = table.path("columnDefinitions").findValuesAsText("name");
    assertThat(columns).startsWith("Name", "Ready", "Up-to-date", "Available", "Age");
    assertThat(table.at("/rows/0/cells/0").asText()).isEqualTo("web");
    assertThat(table.at("/rows/0/cells/1").asText()).isEqualTo("0/3");
    assertThat(table.at("/rows/0/object/kind").asText()).isEqualTo("PartialObjectMetadata");
  }

  @Test
  void aWatchReplaysFromAResourceVersionSendsBookmarksAndEndsAtItsTimeout() throws Exception {
    send(
        "POST",
        "/api/v1/namespaces",
        "application/json",
        "{\"metadata\":{\"name\":\"watched\"}}",
        null);
    String rv =
        JSON.readTree(send("GET", "/api/v1/namespaces/watched/configmaps", null, null, null).body())
            .at("/metadata/resourceVersion")
            .asText();
    send(
        "POST",
        "/api/v1/namespaces/watched/configmaps",
        "application/json",
        "{\"metadata\":{\"name\":\"one\"}}",
        null);
    HttpResponse<String> r =
        send(
            "GET",
            "/api/v1/namespaces/watched/configmaps?watch=true&resourceVersion="
                + rv
                + "&allowWatchBookmarks=true&timeoutSeconds=1",
            null,
            null,
            null);
    List<JsonNode> events =
        r.body()
            .lines()
            .map(
                l -> {
                  try {
                    return JSON.readTree(l);
                  } catch (Exception e) {
                    throw new AssertionError(l, e);
                  }
                })
            .toList();
    assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
    assertThat(events.get(0).at("/object/metadata/name").asText()).isEqualTo("one");
    assertThat(events).extracting(e -> e.path("type").asText()).contains("BOOKMARK");
  }

  @Test
  void aWatchFromAnExpiredResourceVersionGets410() throws Exception {
    send(
        "POST",
        "/api/v1/namespaces",
        "application/json",
        "{\"metadata\":{\"name\":\"churn\"}}",
        null);
    for (int i = 0; i < 25; i++) {
      send(
          "POST",
          "/api/v1/namespaces/churn/configmaps",
          "application/json",
          "{\"metadata\":{\"name\":\"c" + i + "\"}}",
          null);
    }
    HttpResponse<String> r =
        send(
            "GET",
            "/api/v1/namespaces/churn/configmaps?watch=true&resourceVersion=1",
            null,
            null,
            null);
    JsonNode event = JSON.readTree(r.body().lines().findFirst().orElseThrow());
    assertThat(event.path("type").asText()).isEqualTo("ERROR");
    assertThat(event.at("/object/code").asInt()).isEqualTo(410);
    assertThat(event.at("/object/reason").asText()).isEqualTo("Expired");
  }

  @Test
  void podLogsCheckTheContainer() throws Exception {
    send(
        "POST",
        "/api/v1/namespaces",
        "application/json",
        "{\"metadata\":{\"name\":\"logs\"}}",
        null);
    send(
        "POST",
        "/api/v1/namespaces/logs/pods",
        "application/json",
        "{\"metadata\":{\"name\":\"two\"},\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"x\"},{\"name\":\"b\",\"image\":\"x\"}]}}",
        null);
    assertThat(
            status(send("GET", "/api/v1/namespaces/logs/pods/two/log", null, null, null), 400)
                .path("message")
                .asText())
        .isEqualTo("a container name must be specified for pod two, choose one of: [a, b]");
    HttpResponse<String> r =
        send("GET", "/api/v1/namespaces/logs/pods/two/log?container=a", null, null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void deleteCollectionHonoursTheSelectorAndChecksThePolicy() throws Exception {
    send(
        "POST",
        "/api/v1/namespaces",
        "application/json",
        "{\"metadata\":{\"name\":\"sweep\"}}",
        null);
    for (String app : List.of("a", "b")) {
      send(
          "POST",
          "/api/v1/namespaces/sweep/configmaps",
          "application/json",
          "{\"metadata\":{\"name\":\"" + app + "\",\"labels\":{\"app\":\"" + app + "\"}}}",
          null);
    }
    HttpResponse<String> r =
        send(
            "DELETE",
            "/api/v1/namespaces/sweep/configmaps?labelSelector=app%3Da",
            null,
            null,
            null);
    assertThat(JSON.readTree(r.body()).path("items").findValuesAsText("name")).containsExactly("a");
    assertThat(
            JSON.readTree(
                    send("GET", "/api/v1/namespaces/sweep/configmaps", null, null, null).body())
                .path("items")
                .size())
        .isEqualTo(1);
    assertThat(
            status(
                    send(
                        "DELETE",
                        "/api/v1/namespaces/sweep/configmaps/b",
                        "application/json",
                        "{\"propagationPolicy\":\"Sideways\"}",
                        null),
                    422)
                .path("message")
                .asText())
        .contains("propagationPolicy: Unsupported value: \"Sideways\"");
    assertThat(
            send(
                    "DELETE",
                    "/api/v1/namespaces/sweep/configmaps/b?propagationPolicy=Foreground&gracePeriodSeconds=0",
                    null,
                    null,
                    null)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void writesGetTheDefaultsARealServerFillsIn() throws Exception {
    send(
        "POST",
        "/api/v1/namespaces",
        "application/json",
        "{\"metadata\":{\"name\":\"defaults\"}}",
        null);
    JsonNode svc =
        JSON.readTree(
            send(
                    "POST",
                    "/api/v1/namespaces/defaults/services",
                    "application/json",
                    "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80}]}}",
                    null)
                .body());
    assertThat(svc.at("/spec/type").asText()).isEqualTo("ClusterIP");
    String ip = svc.at("/spec/clusterIP").asText();
    assertThat(ip).startsWith("10.96.");
    assertThat(svc.at("/spec/ports/0/protocol").asText()).isEqualTo("TCP");
    assertThat(svc.at("/spec/ports/0/targetPort").asInt()).isEqualTo(80);
    JsonNode replaced =
        JSON.readTree(
            send(
                    "PUT",
                    "/api/v1/namespaces/defaults/services/web",
                    "application/json",
                    "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":81}]}}",
                    null)
                .body());
    assertThat(replaced.at("/spec/clusterIP").asText())
        .as("the cluster IP is kept across updates")
        .isEqualTo(ip);

    JsonNode deploy =
        JSON.readTree(
            send(
                    "POST",
                    "/apis/apps/v1/namespaces/defaults/deployments",
                    "application/json",
                    "{\"metadata\":{\"name\":\"web\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
                        + "\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"nginx:1.27\",\"ports\":[{\"containerPort\":80}]}]}}}}",
                    null)
                .body());
    assertThat(deploy.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(deploy.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(deploy.at("/spec/template/spec/containers/0/ports/0/protocol").asText())
        .isEqualTo("TCP");
    assertThat(deploy.at("/spec/template/spec/containers/0/imagePullPolicy").asText())
        .isEqualTo("IfNotPresent");
    assertThat(deploy.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Always");
  }
}
