package dev.flotilla.controlplane.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.cluster.JoinTokens;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As in Argo CD, a project that lists destinations by server admits an Application that names the
 * cluster (and the reverse): the registered cluster's name and server are the same destination.
 */
class DestinationByNameIT {

  @TempDir Path home;

  @Test
  void aClusterNamedByTheApplicationMatchesAProjectListingItsServer() throws Exception {
    try (ControlPlane cp =
        ControlPlane.start(
            ControlPlaneConfig.defaults(home).withListen("127.0.0.1", 0, 0),
            TestDatabases.fresh())) {
      await(cp.clusters().insert("east", "https://east.example:6443", Map.of(), Map.of(), hash()));
      await(cp.clusters().insert("west", "https://west.example:6443", Map.of(), Map.of(), hash()));
      ProjectCatalogAccess.apply(
          cp,
          """
          apiVersion: argoproj.io/v1alpha1
          kind: AppProject
          metadata:
            name: east-only
          spec:
            sourceRepos: ['*']
            destinations:
              - {server: 'https://east.example:6443', namespace: '*'}
          """);
      await(
          cp.controller()
              .apply(
                  """
                  apiVersion: argoproj.io/v1alpha1
                  kind: ApplicationSet
                  metadata:
                    name: web
                  spec:
                    generators:
                      - list:
                          elements: [{cluster: east}, {cluster: west}]
                    template:
                      metadata:
                        name: 'web-{{cluster}}'
                      spec:
                        project: east-only
                        source:
                          repoURL: https://example.invalid/repo.git
                          path: web
                        destination:
                          name: '{{cluster}}'
                          namespace: web
                  """));
      Map<String, ApplicationView> apps =
          await(cp.applications().listViews(null)).stream()
              .collect(Collectors.toMap(ApplicationView::name, v -> v));
      assertThat(apps).containsKey("web-east").doesNotContainKey("web-west");
      assertThat(apps.get("web-east").dispatchError()).isNull();
      String status = await(cp.applicationSets().get("web")).orElseThrow().status().encode();
      assertThat(status).contains("web-west").contains("not permitted");
    }
  }

  private static String hash() {
    return JoinTokens.hash(JoinTokens.newToken());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Applies a project over REST as the bootstrap admin. */
  private static final class ProjectCatalogAccess {
    static void apply(ControlPlane cp, String yaml) throws Exception {
      var rest =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              "http://127.0.0.1:" + cp.httpPort() + "/api/v1/projects"))
                      .header("Authorization", "Bearer " + cp.adminToken().value())
                      .POST(java.net.http.HttpRequest.BodyPublishers.ofString(yaml))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
    }
  }
}
