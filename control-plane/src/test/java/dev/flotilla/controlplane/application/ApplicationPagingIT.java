package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.TestDatabases;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.controlplane.store.Database;
import dev.flotilla.core.rbac.Enforcer;
import dev.flotilla.core.rbac.PolicySet;
import dev.flotilla.core.rbac.Resources;
import dev.flotilla.core.rbac.Subject;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Listing 5,000 Applications page by page, with the filters and paging in SQL and visibility in
 * Java: every Application the caller may see and the filter matches comes exactly once, in name
 * order, every page but the last is full, and only the last has no next-page token. The expected
 * list is computed the old way (everything loaded, filtered, sorted in memory), so the two must
 * agree. Names mix '-', '.' and digits, which a locale collation orders differently from Java.
 */
class ApplicationPagingIT {

  private static final int APPLICATIONS = 5000;

  private static final Vertx VERTX = Vertx.vertx();
  private static Database database;
  private static Pool pool;
  private static ApplicationRepository repository;
  private static ApplicationService actions;
  private static List<ApplicationView> everything;

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @BeforeAll
  static void seed() throws Exception {
    database = TestDatabases.fresh();
    database.migrate();
    pool = database.pool(VERTX);
    get(
        pool.query(
                "INSERT INTO application_sets (name, document) VALUES"
                    + " ('set-a', '{}'), ('set-b', '{}')")
            .execute());
    // Projects team-0..team-9, clusters c0..c4 (and none), labels tier (a string) and, on every
    // seventh, version (a JSON number); a status on two thirds of them.
    get(
        pool.query(
                "INSERT INTO applications (name, application_set, project, cluster, document,"
                    + " generation)"
                    + " SELECT 'x' || substr(md5(i::text), 1, 3)"
                    + "   || (ARRAY['-', '.', '', '-a'])[1 + i % 4] || i,"
                    + " (ARRAY['set-a', 'set-b', NULL])[1 + i % 3],"
                    + " 'team-' || (i % 10),"
                    + " CASE WHEN i % 11 = 0 THEN NULL ELSE 'c' || (i % 5) END,"
                    + " jsonb_build_object('metadata', jsonb_build_object('labels',"
                    + "   CASE WHEN i % 7 = 0"
                    + "   THEN jsonb_build_object('tier', (ARRAY['web', 'db'])[1 + i % 2],"
                    + "     'version', i % 4)"
                    + "   ELSE jsonb_build_object('tier', (ARRAY['web', 'db'])[1 + i % 2]) END),"
                    + "   'spec', '{}'::jsonb),"
                    + " i"
                    + " FROM generate_series(1, "
                    + APPLICATIONS
                    + ") AS i")
            .execute());
    get(
        pool.query(
                "INSERT INTO application_status (application, generation, sync_status, health)"
                    + " SELECT name, generation,"
                    + " (ARRAY['Synced', 'OutOfSync'])[1 + generation % 2],"
                    + " (ARRAY['Healthy', 'Degraded', 'Progressing'])[1 + generation % 3]"
                    + " FROM applications WHERE generation % 3 <> 0")
            .execute());
    repository = new ApplicationRepository(pool, Clock.systemUTC());
    actions = new ApplicationService(repository, null, null, null, null, Clock.systemUTC());
    everything = get(repository.listViews(null));
    assertThat(everything).hasSize(APPLICATIONS);
  }

  @AfterAll
  static void stop() throws Exception {
    get(pool.close());
    get(VERTX.close());
  }

  private static Caller caller(String name, String policy) {
    Subject subject = Subject.user(name, Set.of());
    return new Caller(
        subject, new Enforcer(PolicySet.parse(policy), Map.of(), "").grantsOf(subject));
  }

  static Stream<Caller> callers() {
    return Stream.of(
        caller("root", "g, root, role:admin\n"),
        // Two projects, minus part of one: most rows a query reads are hidden.
        caller(
            "team-member",
            "p, team-member, applications, get, team-1/*, allow\n"
                + "p, team-member, applications, get, team-2/*, allow\n"
                + "p, team-member, applications, get, team-2/x0*, deny\n"),
        // About one in a hundred: pages must read on through many hidden batches.
        caller("sparse", "p, sparse, applications, get, team-9/x1*, allow\n"),
        caller("nobody", ""));
  }

  record Case(String name, ApplicationFilter filter) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> filters() {
    return Stream.of(
        new Case("all", ApplicationFilter.ALL),
        new Case("project", filter("team-3", null, null, null, null, null)),
        new Case("cluster", filter(null, "c2", null, null, null, null)),
        new Case("applicationSet", filter(null, null, "set-a", null, null, null)),
        new Case("sync ignoring case", filter(null, null, null, "synced", null, null)),
        new Case("health Unknown is no status", filter(null, null, null, null, "Unknown", null)),
        new Case("label equals", filter(null, null, null, null, null, "tier=web")),
        new Case("label not equals", filter(null, null, null, null, null, "tier!=web")),
        new Case("label exists", filter(null, null, null, null, null, "version")),
        new Case("label absent", filter(null, null, null, null, null, "!version")),
        new Case("numeric label value", filter(null, null, null, null, null, "version=3")),
        new Case("label in a set", filter(null, null, null, null, null, "version in (1,3)")),
        new Case("label not in a set", filter(null, null, null, null, null, "version notin (1,3)")),
        new Case("label in one value", filter(null, null, null, null, null, "tier in (db)")),
        new Case(
            "combined", filter("team-2", "c1", null, "OutOfSync", "healthy", "tier=db,!version")));
  }

  private static ApplicationFilter filter(
      String project, String cluster, String set, String sync, String health, String labels) {
    return new ApplicationFilter(
        project, cluster, set, sync, health, LabelSelectors.parse(labels, "label"));
  }

  static Stream<Object[]> cases() {
    return callers()
        .flatMap(
            c ->
                filters()
                    .flatMap(
                        f ->
                            Stream.of(137, 1000)
                                .map(size -> new Object[] {c.name() + ", " + f, c, f, size})));
  }

  @ParameterizedTest(name = "{0}, pages of {3}")
  @MethodSource("cases")
  void pagesReturnEveryVisibleMatchOnceInOrder(String name, Caller caller, Case filter, int size)
      throws Exception {
    List<String> expected =
        everything.stream()
            .filter(v -> caller.sees(Resources.APPLICATIONS, ApplicationService.object(v)))
            .filter(filter.filter()::matches)
            .map(ApplicationView::name)
            .sorted(Comparator.naturalOrder())
            .toList();

    List<String> listed = new ArrayList<>();
    String token = "";
    int pages = 0;
    while (true) {
      Page<ApplicationView> page =
          get(actions.list(caller, filter.filter(), PageRequest.of(size, token, "limit")));
      pages++;
      page.items().forEach(v -> listed.add(v.name()));
      if (page.nextPageToken().isEmpty()) {
        assertThat(page.items().size()).isLessThanOrEqualTo(size);
        break;
      }
      assertThat(page.items()).as("a page before the last is full").hasSize(size);
      assertThat(page.nextPageToken()).isEqualTo(page.items().get(size - 1).name());
      token = page.nextPageToken();
      assertThat(pages).as("pages end").isLessThanOrEqualTo(APPLICATIONS / size + 1);
    }
    assertThat(new HashSet<>(listed)).as("no Application twice").hasSize(listed.size());
    assertThat(listed).containsExactlyElementsOf(expected);
    if (!caller.name().equals("nobody") && filter.name().equals("all")) {
      assertThat(listed).as("the scope is not empty").isNotEmpty();
    }
  }
}
