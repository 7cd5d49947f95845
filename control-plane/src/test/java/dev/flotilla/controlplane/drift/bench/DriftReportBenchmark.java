package dev.flotilla.controlplane.drift.bench;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.drift.AppProjectTeams;
import dev.flotilla.controlplane.drift.DriftCsv;
import dev.flotilla.controlplane.drift.DriftFeed;
import dev.flotilla.controlplane.drift.DriftJson;
import dev.flotilla.controlplane.drift.DriftQuery;
import dev.flotilla.controlplane.drift.DriftReport;
import dev.flotilla.controlplane.drift.DriftRepository;
import dev.flotilla.controlplane.drift.DriftRoutes;
import dev.flotilla.controlplane.drift.DriftScope;
import dev.flotilla.controlplane.drift.DriftService;
import dev.flotilla.controlplane.drift.ProjectTeams;
import dev.flotilla.controlplane.drift.TestCallers;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.proto.agent.v1.DriftEvent;
import dev.flotilla.proto.agent.v1.FieldDiff;
import dev.flotilla.proto.agent.v1.ResourceStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Times the fleet-wide drift report on a real embedded PostgreSQL: N Applications over 20 clusters
 * and 50 projects, M drifted objects with E events each (10% Secrets, a third still drifted), then
 * the report over loopback HTTP in JSON and CSV, and through the repository alone. Run from the
 * repository root:
 *
 * <pre>
 * mvn -q -o -pl control-plane test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp control-plane/target/classes:control-plane/target/test-classes:$(cat control-plane/target/cp.txt) \
 *     dev.flotilla.controlplane.drift.bench.DriftReportBenchmark 10000 1000 10 300
 * </pre>
 *
 * Arguments: applications, drifted objects, events per object, timed runs per case.
 */
public final class DriftReportBenchmark {

  private static final int CLUSTERS = 20;
  private static final int PROJECTS = 50;

  private DriftReportBenchmark() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int objects = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int eventsPerObject = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 300;
    Path tmp = Files.createTempDirectory("flotilla-drift-bench");
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.embedded(tmp.resolve("pg"))) {
      db.migrate();
      Pool pool = db.pool(vertx);
      long seedStart = System.nanoTime();
      seed(pool, apps, objects, eventsPerObject);
      System.out.printf(
          "seeded %,d applications, %,d drifted objects, %,d events in %.1f s%n",
          apps, objects, objects * eventsPerObject, (System.nanoTime() - seedStart) / 1e9);

      DriftRepository drift = new DriftRepository(pool, Clock.systemUTC());
      // The real team lookup: AppProject documents whose roles name the teams.
      ProjectTeams teams = new AppProjectTeams(new ProjectRepository(pool));
      Caller scoped =
          TestCallers.member(
              "team-x",
              IntStream.range(0, 10)
                  .mapToObj(p -> "p, team-x, applications, get, project-" + p + "/*, allow")
                  .collect(Collectors.joining("\n")));
      Router router = Router.router(vertx);
      router
          .route()
          .handler(
              ctx -> {
                Callers.put(
                    ctx, ctx.request().getHeader("X-Scoped") == null ? Caller.SYSTEM : scoped);
                ctx.next();
              });
      new DriftRoutes(new DriftService(drift, new DriftFeed(), teams)).mount(router);
      HttpServer server =
          get(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.actualPort() + DriftRoutes.PATH;

      System.out.println("| case | bytes | p50 ms | p90 ms | p99 ms | max ms |");
      System.out.println("|---|---|---|---|---|---|");
      bench(
          "repository, all " + objects + " objects (limit 1000)",
          runs,
          () ->
              get(drift.report(DriftQuery.all().withPage(1000, 0), DriftScope.EVERYTHING, teams))
                  .items()
                  .size());
      bench(
          "repository, scoped to 10 of 50 projects (limit 1000)",
          runs,
          () ->
              get(drift.report(DriftQuery.all().withPage(1000, 0), DriftScope.of(scoped), teams))
                  .items()
                  .size());
      DriftReport full =
          get(drift.report(DriftQuery.all().withPage(1000, 0), DriftScope.EVERYTHING, teams));
      bench("in memory: JSON encode of 1000 objects", runs, () -> DriftJson.render(full).length());
      bench("in memory: CSV render of 1000 objects", runs, () -> DriftCsv.render(full).length());
      http(http, runs, "HTTP JSON, all objects (limit=1000)", base + "?limit=1000", false);
      http(
          http, runs, "HTTP CSV, all objects (limit=1000)", base + "?limit=1000&format=csv", false);
      http(http, runs, "HTTP JSON, first page (limit=100)", base, false);
      http(
          http,
          runs,
          "HTTP JSON, cluster + unhealed",
          base + "?cluster=cluster-3&healed=false",
          false);
      http(
          http,
          runs,
          "HTTP JSON, since (last ~10%)",
          base + "?since=2026-11-01T09:15:00Z&limit=1000",
          false);
      http(http, runs, "HTTP JSON, scoped to 10 of 50 projects", base + "?limit=1000", true);
      http(
          http,
          runs,
          "HTTP CSV, scoped to 10 of 50 projects",
          base + "?limit=1000&format=csv",
          true);
      // The write side: what the aggregate costs each agent report (insert + trigger + dedupe
      // check).
      int[] next = {0};
      bench(
          "record one new event (insert, trigger, redelivery check)",
          runs,
          () -> {
            int n = next[0]++;
            String app = "app-" + String.format("%06d", (n * 7919) % apps);
            String cluster = "cluster-" + ((n * 7919) % apps) % CLUSTERS;
            get(drift.record(cluster, newEvent(app, n)));
            return 1;
          });
      get(server.close());
      get(pool.close());
    } finally {
      get(vertx.close());
    }
  }

  /** Bulk rows through the same trigger the agents' inserts go through. */
  private static void seed(Pool pool, int apps, int objects, int eventsPerObject) throws Exception {
    get(
        pool.preparedQuery(
                "INSERT INTO applications (name, project, cluster, document, generation)"
                    + " SELECT 'app-' || lpad(i::text, 6, '0'), 'project-' || (i % $2),"
                    + " 'cluster-' || (i % $3),"
                    + " jsonb_build_object('apiVersion', 'argoproj.io/v1alpha1', 'kind', 'Application',"
                    + "  'metadata', jsonb_build_object('name', 'app-' || i),"
                    + "  'spec', jsonb_build_object('project', 'project-' || (i % $2),"
                    + "   'source', jsonb_build_object('repoURL', 'https://git.example.com/infra.git',"
                    + "     'targetRevision', 'main', 'path', 'apps/app-' || i),"
                    + "   'destination', jsonb_build_object('name', 'cluster-' || (i % $3),"
                    + "     'namespace', 'ns-' || i),"
                    + "   'syncPolicy', jsonb_build_object('automated',"
                    + "     jsonb_build_object('prune', true, 'selfHeal', true)))), i"
                    + " FROM generate_series(0, $1 - 1) i")
            .execute(Tuple.of(apps, PROJECTS, CLUSTERS)));
    // Events go in oldest first, interleaved across objects, as a fleet would report them.
    get(
        pool.preparedQuery(
                "INSERT INTO drift_events (cluster, application, api_group, kind, namespace, name,"
                    + " fields, change, detected_at, healed_at)"
                    + " SELECT a.cluster, a.name,"
                    + "  CASE WHEN j % 10 = 1 THEN 'apps' ELSE '' END,"
                    + "  CASE WHEN j % 10 = 0 THEN 'Secret' WHEN j % 10 = 1 THEN 'Deployment'"
                    + "   ELSE 'ConfigMap' END,"
                    + "  'ns-' || j, 'object-' || j,"
                    + "  jsonb_build_array("
                    + "   jsonb_build_object('path', '/data/key', 'desired', '\"value-' || k || '\"',"
                    + "    'live', CASE WHEN j % 10 = 0 THEN '\"++++++++\"'"
                    + "     ELSE '\"edited by hand, run ' || k || '\"' END),"
                    + "   jsonb_build_object('path', '/metadata/labels/team', 'desired', '\"a\"',"
                    + "    'live', '\"b\"')),"
                    + "  'edited',"
                    + "  timestamptz '2026-11-01T00:00:00Z' + make_interval(secs => j)"
                    + "   + make_interval(hours => k * 10 / $3),"
                    + "  CASE WHEN k < $3 - 1 OR j % 3 <> 0"
                    + "   THEN timestamptz '2026-11-01T00:00:00Z' + make_interval(secs => j + 5)"
                    + "    + make_interval(hours => k * 10 / $3) END"
                    + " FROM generate_series(0, $3 - 1) k CROSS JOIN generate_series(0, $2 - 1) j"
                    // A stride coprime with the fleet size spreads drift over every cluster and
                    // project.
                    + " JOIN applications a ON a.name = 'app-' || lpad(((j * 7919) % $1)::text, 6, '0')"
                    + " ORDER BY k, j")
            .execute(Tuple.of(apps, objects, eventsPerObject)));
    // One AppProject per project with two roles; project p belongs to teams p % 8 and "platform".
    get(
        pool.preparedQuery(
                "INSERT INTO app_projects (name, document)"
                    + " SELECT 'project-' || p, jsonb_build_object('apiVersion', 'argoproj.io/v1alpha1',"
                    + "  'kind', 'AppProject', 'metadata', jsonb_build_object('name', 'project-' || p),"
                    + "  'spec', jsonb_build_object('sourceRepos', jsonb_build_array('*'),"
                    + "   'destinations', jsonb_build_array(jsonb_build_object('server', '*',"
                    + "     'namespace', '*')),"
                    + "   'roles', jsonb_build_array("
                    + "    jsonb_build_object('name', 'dev', 'groups', jsonb_build_array('team-' || (p % 8)),"
                    + "     'policies', jsonb_build_array('p, proj:project-' || p"
                    + "      || ':dev, applications, get, project-' || p || '/*, allow')),"
                    + "    jsonb_build_object('name', 'ops', 'groups', jsonb_build_array('platform')))))"
                    + " FROM generate_series(0, $1 - 1) p")
            .execute(Tuple.of(PROJECTS)));
    // What autovacuum would do shortly after a bulk load; without it the first plans are guesses.
    get(pool.query("ANALYZE").execute());
  }

  private static DriftEvent newEvent(String app, int n) {
    return DriftEvent.newBuilder()
        .setApplication(app)
        .setResource(
            ResourceStatus.newBuilder()
                .setKind("ConfigMap")
                .setNamespace("ns-new")
                .setName("new-" + (n % 500))
                .setMessage("edited"))
        .addFields(FieldDiff.newBuilder().setPath("/data/k").setDesired("\"a\"").setLive("\"b\""))
        .setDetectedAtUnixMs(1_800_000_000_000L + n)
        .build();
  }

  private static void http(HttpClient http, int runs, String name, String url, boolean scoped)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (scoped) {
      b.header("X-Scoped", "1");
    }
    HttpRequest request = b.build();
    bench(
        name,
        runs,
        () -> {
          HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
          }
          return r.body().length();
        });
  }

  private static void bench(String name, int runs, Callable<Integer> call) throws Exception {
    int size = 0;
    for (int i = 0; i < Math.max(20, runs / 5); i++) {
      size = call.call(); // warm-up: JIT, prepared statements on every pool connection
    }
    long[] nanos = new long[runs];
    for (int i = 0; i < runs; i++) {
      long t = System.nanoTime();
      call.call();
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    System.out.printf(
        "| %s | %,d | %.1f | %.1f | %.1f | %.1f |%n",
        name, size, ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99), nanos[runs - 1] / 1e6);
  }

  private static double ms(long[] sorted, double q) {
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
