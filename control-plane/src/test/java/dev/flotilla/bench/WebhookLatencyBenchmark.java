package dev.flotilla.bench;

import dev.flotilla.controlplane.ControlPlane;
import dev.flotilla.controlplane.ControlPlaneConfig;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.testkit.TestRepo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures how soon a Git push webhook turns into stored Applications: commit a new directory, POST
 * the push event, and time until the Application generated for it is in Postgres. Polling is off (1
 * h), so the webhook is the only trigger. Run:
 *
 * <pre>
 * mvn -q -o -pl control-plane test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp control-plane/target/classes:control-plane/target/test-classes:$(cat control-plane/target/cp.txt) \
 *     dev.flotilla.bench.WebhookLatencyBenchmark 30
 * </pre>
 */
public final class WebhookLatencyBenchmark {

  private WebhookLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Path tmp = Files.createTempDirectory("flotilla-webhook-bench");
    HttpClient http = HttpClient.newHttpClient();
    try (TestRepo repo = new TestRepo(tmp.resolve("repo"));
        ControlPlane cp =
            ControlPlane.start(
                ControlPlaneConfig.defaults(tmp.resolve("cp"))
                    .withListen("127.0.0.1", 0, 0)
                    .withGitPollInterval(Duration.ofHours(1)),
                Database.embedded(tmp.resolve("pg")))) {
      repo.write("apps/app-0/cm.yaml", TestRepo.configMap("c", "k", "v"));
      repo.commit("first");
      get(
          cp.controller()
              .apply(
                  """
                  apiVersion: argoproj.io/v1alpha1
                  kind: ApplicationSet
                  metadata: {name: dirs}
                  spec:
                    generators:
                      - git:
                          repoURL: %s
                          revision: main
                          directories: [{path: 'apps/*'}]
                    template:
                      metadata: {name: '{{path.basename}}'}
                      spec:
                        project: default
                        source: {repoURL: %s, targetRevision: main, path: '{{path}}'}
                        destination: {name: nowhere, namespace: '{{path.basename}}'}
                  """
                      .formatted(repo.url(), repo.url())));
      List<Long> micros = new ArrayList<>();
      for (int i = 1; i <= rounds; i++) {
        String app = "app-" + i;
        repo.write("apps/" + app + "/cm.yaml", TestRepo.configMap("c", "k", "v"));
        repo.commit("add " + app);
        long start = System.nanoTime();
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cp.httpPort() + "/api/v1/webhook/git"))
                    .header("X-GitHub-Event", "push")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"ref\":\"refs/heads/main\",\"repository\":{\"clone_url\":\""
                                + repo.url()
                                + "\"}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
          throw new IllegalStateException("webhook refused: " + r.body());
        }
        while (get(cp.applications().listViews(app)).isEmpty()) {
          if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(30)) {
            throw new IllegalStateException(app + " did not appear within 30 s");
          }
          Thread.onSpinWait();
        }
        micros.add((System.nanoTime() - start) / 1000);
      }
      List<Long> warm =
          new ArrayList<>(micros.subList(Math.min(5, micros.size() - 1), micros.size()));
      Collections.sort(warm);
      System.out.printf(
          "webhook -> Application stored, %d rounds after 5 warm-up: p50 %.0f ms, p90 %.0f ms, max %.0f ms%n",
          warm.size(),
          warm.get(warm.size() / 2) / 1000.0,
          warm.get((int) Math.floor(warm.size() * 0.9)) / 1000.0,
          warm.get(warm.size() - 1) / 1000.0);
    }
  }

  private static <T> T get(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
