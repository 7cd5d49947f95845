package dev.flotilla.controlplane.application.bench;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.application.ApplicationFilter;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.core.rbac.Enforcer;
import dev.flotilla.core.rbac.PolicySet;
import dev.flotilla.core.rbac.Resources;
import dev.flotilla.core.rbac.Subject;
import dev.flotilla.core.selector.LabelSelector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Times listing Applications on a real embedded PostgreSQL with N Applications over 50 projects and
 * 20 clusters: one page of 100 and a walk through every page, for an admin and for a team that sees
 * 2 of the 50 projects, with and without filters; each next to the way it was done before issue 9
 * (every Application loaded, then filtered, sorted and paged in memory). Also the AppProject
 * policies with and without the cache. Run from the repository root:
 *
 * <pre>
 * mvn -q -o -pl control-plane test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp control-plane/target/classes:control-plane/target/test-classes:$(cat control-plane/target/cp.txt) \
 *     dev.flotilla.controlplane.application.bench.ApplicationListBenchmark 10000 20
 * </pre>
 *
 * Arguments: Applications, timed runs per case. Not a test: it asserts nothing about time.
 */
public final class ApplicationListBenchmark {

  private ApplicationListBenchmark() {}

  public static void main(String[] args) throws Exception {
    int apps = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Path tmp = Files.createTempDirectory("flotilla-list-bench");
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.embedded(tmp.resolve("pg"))) {
      db.migrate();
      Pool pool = db.pool(vertx);
      seed(pool, apps);
      ApplicationRepository repository = new ApplicationRepository(pool, Clock.systemUTC());
      ApplicationService actions =
          new ApplicationService(repository, null, null, null, null, Clock.systemUTC());
      Caller admin = caller("root", "g, root, role:admin\n");
      Caller team =
          caller(
              "team",
              "p, team, applications, get, team-1/*, allow\n"
                  + "p, team, applications, get, team-2/*, allow\n");
      ApplicationFilter byProject =
          new ApplicationFilter("team-7", null, null, null, null, LabelSelector.EVERYTHING);
      ApplicationFilter byLabel =
          new ApplicationFilter(
              null, null, null, null, null, LabelSelectors.parse("tier=web", "label"));
      PageRequest first = PageRequest.of(100, "", "limit");

      System.out.printf("%,d Applications, %d runs per case, median / best%n", apps, runs);
      for (var c :
          new Object[][] {
            {"admin, first page of 100", admin, ApplicationFilter.ALL},
            {"admin, project filter, first page", admin, byProject},
            {"admin, label filter, first page", admin, byLabel},
            {"team (2 of 50 projects), first page", team, ApplicationFilter.ALL},
          }) {
        Caller who = (Caller) c[1];
        ApplicationFilter filter = (ApplicationFilter) c[2];
        report(
            c[0] + " — before",
            runs,
            () -> get(oldList(repository, who, filter, first)).items().size());
        report(c[0] + " — after", runs, () -> get(actions.list(who, filter, first)).items().size());
      }
      for (var c : new Object[][] {{"admin", admin}, {"team", team}}) {
        Caller who = (Caller) c[1];
        report(
            "every page of 100, " + c[0] + " — before",
            Math.max(1, runs / 10),
            () -> walk(p -> oldList(repository, who, ApplicationFilter.ALL, p)));
        report(
            "every page of 100, " + c[0] + " — after",
            Math.max(1, runs / 10),
            () -> walk(p -> actions.list(who, ApplicationFilter.ALL, p)));
      }
      ProjectGate gate = new ProjectGate(new ProjectRepository(pool), new ClusterRepository(pool));
      report(
          "AppProject policies (50 projects), parsed every time",
          runs,
          () -> {
            gate.invalidate();
            get(gate.load());
            return 50;
          });
      report(
          "AppProject policies (50 projects), cached",
          runs,
          () -> {
            get(gate.load());
            return 50;
          });
      get(pool.close());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static Caller caller(String name, String policy) {
    Subject subject = Subject.user(name, Set.of());
    return new Caller(
        subject, new Enforcer(PolicySet.parse(policy), Map.of(), "").grantsOf(subject));
  }

  /** The list as it was before issue 9: everything loaded, then filtered, sorted and paged. */
  private static Future<Page<ApplicationView>> oldList(
      ApplicationRepository repository, Caller caller, ApplicationFilter filter, PageRequest page) {
    return repository
        .listViews(null)
        .map(
            views ->
                page.apply(
                    views.stream()
                        .filter(
                            v -> caller.sees(Resources.APPLICATIONS, ApplicationService.object(v)))
                        .filter(filter::matches)
                        .sorted(Comparator.comparing(ApplicationView::name))
                        .toList(),
                    ApplicationView::name));
  }

  private static int walk(
      java.util.function.Function<PageRequest, Future<Page<ApplicationView>>> list)
      throws Exception {
    int seen = 0;
    String token = "";
    do {
      Page<ApplicationView> page = get(list.apply(PageRequest.of(100, token, "limit")));
      seen += page.items().size();
      token = page.nextPageToken();
    } while (!token.isEmpty());
    return seen;
  }

  private static void report(String what, int runs, Callable<Integer> run) throws Exception {
    int items = run.call(); // warm-up
    run.call();
    long[] ms = new long[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      run.call();
      ms[i] = (System.nanoTime() - start) / 1_000_000;
    }
    Arrays.sort(ms);
    System.out.printf("%-60s %,6d items  %,6d ms / %,6d ms%n", what, items, ms[runs / 2], ms[0]);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  /** Documents of a realistic size (~1 KiB: labels, source, destination, sync policy). */
  private static void seed(Pool pool, int apps) throws Exception {
    get(
        pool.query(
                "INSERT INTO app_projects (name, document)"
                    + " SELECT 'team-' || p, jsonb_build_object('metadata',"
                    + " jsonb_build_object('name', 'team-' || p), 'spec', jsonb_build_object("
                    + " 'sourceRepos', jsonb_build_array('*'), 'destinations',"
                    + " jsonb_build_array(jsonb_build_object('server', '*', 'namespace', '*'))))"
                    + " FROM generate_series(0, 49) AS p")
            .execute());
    get(
        pool.query(
                "INSERT INTO applications (name, project, cluster, document, revision, generation)"
                    + " SELECT 'app-' || lpad(i::text, 6, '0') || '-' || (i % 20),"
                    + " 'team-' || (i % 50), 'cluster-' || (i % 20),"
                    + " jsonb_build_object('metadata', jsonb_build_object('name', 'app-' || i,"
                    + "   'labels', jsonb_build_object('tier', (ARRAY['web', 'db'])[1 + i % 2],"
                    + "   'team', 'team-' || (i % 50))),"
                    + " 'spec', jsonb_build_object('project', 'team-' || (i % 50),"
                    + "   'source', jsonb_build_object('repoURL',"
                    + "     'https://git.example.com/platform/apps.git', 'path', 'apps/app-' || i,"
                    + "     'targetRevision', 'main'),"
                    + "   'destination', jsonb_build_object('name', 'cluster-' || (i % 20),"
                    + "     'namespace', 'app-' || i),"
                    + "   'syncPolicy', jsonb_build_object('automated',"
                    + "     jsonb_build_object('prune', true, 'selfHeal', true)))),"
                    + " repeat('a', 40), i"
                    + " FROM generate_series(1, "
                    + apps
                    + ") AS i")
            .execute());
    get(
        pool.query(
                "INSERT INTO application_status (application, generation, sync_status, health)"
                    + " SELECT name, generation, 'Synced', 'Healthy' FROM applications")
            .execute());
    get(pool.query("ANALYZE").execute());
  }
}
