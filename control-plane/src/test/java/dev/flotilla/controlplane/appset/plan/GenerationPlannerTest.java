package dev.flotilla.controlplane.appset.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.generators.ClusterInfo;
import dev.flotilla.generators.GeneratedApplication;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.GenerationResult;
import dev.flotilla.generators.GitInputException;
import dev.flotilla.proto.AgentLimits;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rule of {@link GenerationPlanner} as a table of {name, given, expected}, in the style of
 * Argo CD's {@code applicationset/generators/matrix_test.go}. Expected errors and notes are
 * prefixes of the actual ones, in order.
 */
class GenerationPlannerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REPO = "https://git.example/apps.git";
  private static final String OTHER_REPO = "https://git.example/other.git";
  private static final String UNREACHABLE = "https://git.example/gone.git";
  private static final String FORBIDDEN_REPO = "https://git.example/forbidden.git";
  private static final String SHA = "a".repeat(40);
  private static final String OLD_SHA = "b".repeat(40);
  private static final List<ClusterInfo> CLUSTERS =
      List.of(
          new ClusterInfo("c1", "https://c1.example", Map.of(), Map.of()),
          new ClusterInfo("c2", "https://c2.example", Map.of(), Map.of()));

  /** One case of the table; {@code toString} is its name, so the report lists the rule. */
  record Case(String name, Given given, Expected expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** What is stored for one upserted Application, as far as a rule decides it. */
  record Upsert(String name, String cluster, String revision, String dispatchError) {}

  record Expected(
      List<Upsert> upserts,
      List<String> deletes,
      List<String> kept,
      List<String> errors,
      List<String> notes,
      Set<String> clusters) {}

  /** The inputs, with defaults every case changes only where its rule needs. */
  record Given(
      String policy,
      List<GeneratedApplication> generated,
      List<GenerationError> generationErrors,
      List<StoredApplication> owned,
      boolean allowEmpty,
      Set<String> templateProjects,
      Map<String, String> refusedByProject) {

    static Given of(GeneratedApplication... generated) {
      return new Given("sync", List.of(generated), List.of(), List.of(), false, Set.of(), Map.of());
    }

    Given policy(String p) {
      return new Given(
          p, generated, generationErrors, owned, allowEmpty, templateProjects, refusedByProject);
    }

    Given owning(StoredApplication... apps) {
      return new Given(
          policy,
          generated,
          generationErrors,
          List.of(apps),
          allowEmpty,
          templateProjects,
          refusedByProject);
    }

    Given failing(GenerationError... errors) {
      return new Given(
          policy,
          generated,
          List.of(errors),
          owned,
          allowEmpty,
          templateProjects,
          refusedByProject);
    }

    Given allowingEmpty() {
      return new Given(
          policy, generated, generationErrors, owned, true, templateProjects, refusedByProject);
    }

    Given templatesName(String... projects) {
      return new Given(
          policy,
          generated,
          generationErrors,
          owned,
          allowEmpty,
          Set.of(projects),
          refusedByProject);
    }

    Given projectRefuses(String app, String reason) {
      return new Given(
          policy,
          generated,
          generationErrors,
          owned,
          allowEmpty,
          templateProjects,
          Map.of(app, reason));
    }

    GenerationInputs inputs() {
      return new GenerationInputs(
          "set",
          new GenerationResult(generated, generationErrors, Optional.empty()),
          owned,
          policy,
          false,
          allowEmpty,
          templateProjects.isEmpty() ? Set.of("default", "team") : templateProjects,
          app -> Optional.ofNullable(refusedByProject.get(app.name())),
          CLUSTERS,
          GenerationPlannerTest::resolve);
    }
  }

  /**
   * Resolves REPO and OTHER_REPO; any other repository is unreachable; FORBIDDEN_REPO is never
   * asked.
   */
  private static String resolve(String repoUrl, String revision) throws GitInputException {
    if (repoUrl.equals(FORBIDDEN_REPO)) {
      throw new AssertionError("the planner read the repository of a refused Application");
    }
    if (repoUrl.equals(REPO) || repoUrl.equals(OTHER_REPO)) {
      return SHA;
    }
    throw new GitInputException("cannot fetch " + repoUrl + ": connection refused");
  }

  static Stream<Case> cases() {
    GeneratedApplication a = app("a", "team", "c1", REPO);
    GeneratedApplication aMoved = app("a", "team", "c2", REPO);
    GeneratedApplication b = app("b", "team", "c2", REPO);
    String tooBig = "x".repeat(AgentLimits.MAX_APPLICATION_BYTES);
    return Stream.of(
        new Case(
            "sync creates a new Application",
            Given.of(a),
            expect(ups(new Upsert("a", "c1", SHA, null)), none(), none(), none(), none(), "c1")),
        new Case(
            "an unchanged Application is not written again",
            Given.of(a).owning(stored(a, "c1")),
            expect(List.of(), none(), none(), none(), none())),
        new Case(
            "sync updates a changed Application and tells its old and new cluster",
            Given.of(aMoved).owning(stored(a, "c1")),
            expect(
                ups(new Upsert("a", "c2", SHA, null)), none(), none(), none(), none(), "c1", "c2")),
        new Case(
            "create-update updates",
            Given.of(aMoved).owning(stored(a, "c1")).policy("create-update"),
            expect(
                ups(new Upsert("a", "c2", SHA, null)), none(), none(), none(), none(), "c1", "c2")),
        new Case(
            "create-only keeps a changed Application",
            Given.of(aMoved).owning(stored(a, "c1")).policy("create-only"),
            expect(
                List.of(),
                none(),
                none(),
                none(),
                List.of("'a' differs from the template but policy create-only keeps it"))),
        new Case(
            "create-delete keeps a changed Application",
            Given.of(aMoved).owning(stored(a, "c1")).policy("create-delete"),
            expect(
                List.of(),
                none(),
                none(),
                none(),
                List.of("'a' differs from the template but policy create-delete keeps it"))),
        new Case(
            "create-only still creates",
            Given.of(a).policy("create-only"),
            expect(ups(new Upsert("a", "c1", SHA, null)), none(), none(), none(), none(), "c1")),
        new Case(
            "sync deletes what is no longer generated",
            Given.of(a).owning(stored(a, "c1"), stored(b, "c2")),
            expect(List.of(), List.of("b"), none(), none(), none(), "c2")),
        new Case(
            "create-delete deletes",
            Given.of(a).owning(stored(a, "c1"), stored(b, "c2")).policy("create-delete"),
            expect(List.of(), List.of("b"), none(), none(), none(), "c2")),
        new Case(
            "create-only never deletes",
            Given.of(a).owning(stored(a, "c1"), stored(b, "c2")).policy("create-only"),
            expect(
                List.of(),
                none(),
                List.of("b"),
                none(),
                List.of("kept 1 Application(s): policy create-only never deletes"))),
        new Case(
            "create-update never deletes",
            Given.of(a).owning(stored(a, "c1"), stored(b, "c2")).policy("create-update"),
            expect(
                List.of(),
                none(),
                List.of("b"),
                none(),
                List.of("kept 1 Application(s): policy create-update never deletes"))),
        new Case(
            "a generator error deletes nothing, and the good element is still written",
            Given.of(aMoved)
                .owning(stored(a, "c1"), stored(b, "c2"))
                .failing(new GenerationError("spec.generators[0]", "bad element")),
            expect(
                ups(new Upsert("a", "c2", SHA, null)),
                none(),
                List.of("b"),
                List.of("spec.generators[0]: bad element"),
                List.of("kept 1 Application(s) that did not render because generation had errors"),
                "c1",
                "c2")),
        new Case(
            "an empty generation deletes nothing without the annotation",
            Given.of().owning(stored(a, "c1"), stored(b, "c2")),
            expect(
                List.of(),
                none(),
                List.of("a", "b"),
                none(),
                List.of(
                    "generators returned no Applications; kept all 2 existing ones (annotate the"
                        + " ApplicationSet with flotilla.dev/allow-empty-generation=\"true\""))),
        new Case(
            "an empty generation deletes everything with the annotation",
            Given.of().owning(stored(a, "c1"), stored(b, "c2")).allowingEmpty(),
            expect(List.of(), List.of("a", "b"), none(), none(), none(), "c1", "c2")),
        new Case(
            "an empty generation that failed deletes nothing even with the annotation",
            Given.of()
                .owning(stored(a, "c1"))
                .allowingEmpty()
                .failing(new GenerationError("spec.generators[0].git", "cannot fetch")),
            expect(
                List.of(),
                none(),
                List.of("a"),
                List.of("spec.generators[0].git: cannot fetch"),
                List.of(
                    "kept 1 Application(s) that did not render because generation had errors"))),
        new Case(
            "a project no template names is refused and its repository never read",
            Given.of(app("x", "elsewhere", "c1", FORBIDDEN_REPO)).templatesName("team"),
            expect(
                List.of(),
                none(),
                none(),
                List.of(
                    "Application x: project 'elsewhere' is named by no template of the"
                        + " ApplicationSet (permission for it was never checked)"),
                none())),
        new Case(
            "an Application without a project is checked as project default",
            Given.of(app("x", "", "c1", FORBIDDEN_REPO)).templatesName("team"),
            expect(
                List.of(),
                none(),
                none(),
                List.of("Application x: project 'default' is named by no template"),
                none())),
        new Case(
            "an Application its AppProject refuses is not created",
            Given.of(app("x", "team", "c1", FORBIDDEN_REPO))
                .projectRefuses("x", "project 'team': no"),
            expect(
                List.of(), none(), none(), List.of("Application x: project 'team': no"), none())),
        new Case(
            "an existing Application its AppProject now refuses keeps its content, held back",
            Given.of(aMoved, b)
                .owning(stored(a, "c1"), stored(b, "c2"))
                .projectRefuses("a", "project 'team': destination not permitted"),
            expect(
                ups(new Upsert("a", "c1", SHA, "project 'team': destination not permitted")),
                none(),
                none(),
                List.of("Application a: project 'team': destination not permitted"),
                none(),
                "c1")),
        new Case(
            "an Application already held back for the same reason is not written again",
            Given.of(a)
                .owning(held(stored(a, "c1"), "project 'team': no"))
                .projectRefuses("a", "project 'team': no"),
            expect(
                List.of(), none(), none(), List.of("Application a: project 'team': no"), none())),
        new Case(
            "an oversized Application is not created",
            Given.of(withLabel(app("big", "team", "c1", REPO), tooBig)),
            expect(
                List.of(),
                none(),
                none(),
                List.of("Application big: the generated Application is "),
                none())),
        new Case(
            "an oversized update keeps the Application, and its errors keep the others",
            Given.of(withLabel(a, tooBig)).owning(stored(a, "c1"), stored(b, "c2")),
            expect(
                List.of(),
                none(),
                List.of("b"),
                List.of("Application a: the generated Application is "),
                List.of(
                    "kept 1 Application(s) that did not render because generation had errors"))),
        new Case(
            "an unregistered destination is stored but not dispatched",
            Given.of(app("x", "team", "nowhere", REPO)),
            expect(
                ups(new Upsert("x", null, SHA, "destination cluster 'nowhere' is not registered")),
                none(),
                none(),
                none(),
                none())),
        new Case(
            "a destination given by server resolves to its cluster",
            Given.of(appOnServer("x", "https://c2.example")),
            expect(ups(new Upsert("x", "c2", SHA, null)), none(), none(), none(), none(), "c2")),
        new Case(
            "an unregistered server is named in the dispatch error",
            Given.of(appOnServer("x", "https://nowhere.example")),
            expect(
                ups(
                    new Upsert(
                        "x", null, SHA, "destination cluster 'https://nowhere.example' is not")),
                none(),
                none(),
                none(),
                none())),
        new Case(
            "an unresolvable revision keeps each Application's own last revision, noted once",
            Given.of(app("a", "team", "c1", UNREACHABLE), app("b", "team", "c1", UNREACHABLE))
                .owning(stored(app("b", "team", "c1", UNREACHABLE), "c1")),
            expect(
                ups(new Upsert("a", "c1", "", null)),
                none(),
                none(),
                none(),
                List.of(
                    "Application a: cannot fetch "
                        + UNREACHABLE
                        + ": connection refused; kept its"
                        + " last revision"),
                "c1")),
        new Case(
            "an unresolvable revision of a new repository is unresolved, not the old one",
            Given.of(app("a", "team", "c1", UNREACHABLE)).owning(stored(a, "c1")),
            expect(
                ups(new Upsert("a", "c1", "", null)),
                none(),
                none(),
                none(),
                List.of("Application a: cannot fetch " + UNREACHABLE),
                "c1")),
        new Case(
            "a chart of a Helm repository is not resolved as Git: its agent picks the version",
            Given.of(chart(app("a", "team", "c1", FORBIDDEN_REPO))),
            expect(ups(new Upsert("a", "c1", "", null)), none(), none(), none(), none(), "c1")),
        new Case(
            "an Application without a repository has no revision",
            Given.of(app("a", "team", "c1", "")),
            expect(ups(new Upsert("a", "c1", "", null)), none(), none(), none(), none(), "c1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(Case c) {
    GenerationPlan plan = GenerationPlanner.plan(c.given().inputs());
    Expected e = c.expected();
    assertThat(plan.upserts().stream().map(GenerationPlannerTest::summary).toList())
        .as("upserts")
        .containsExactlyElementsOf(
            e.upserts().stream().map(GenerationPlannerTest::summary).toList());
    assertThat(plan.upserts())
        .as("dispatch errors")
        .allSatisfy(u -> assertPrefix(u.dispatchError(), expectedError(e, u.name())));
    assertThat(plan.deletes()).as("deletes").containsExactlyElementsOf(e.deletes());
    assertThat(plan.kept()).as("kept").containsExactlyElementsOf(e.kept());
    assertPrefixes(
        "errors", plan.errors().stream().map(GenerationError::toString).toList(), e.errors());
    assertPrefixes("notes", plan.notes(), e.notes());
    assertThat(plan.affectedClusters()).as("clusters").isEqualTo(e.clusters());
    assertThat(plan.generated()).isEqualTo(c.given().generated().size());
  }

  @Test
  void anInvalidSpecChangesNothingAndSaysWhy() {
    GenerationPlan plan = GenerationPlanner.invalidSpec("spec.generators: required");
    assertThat(plan.changesNothing()).isTrue();
    assertThat(plan.kept()).isEmpty();
    assertThat(plan.errors())
        .containsExactly(new GenerationError("spec", "spec.generators: required"));
    assertThat(plan.generated()).isZero();
  }

  @Test
  void anApplicationAnotherSetOwnsIsLeftToItAndReported() {
    GeneratedApplication a = app("a", "team", "c1", REPO);
    GeneratedApplication b = app("b", "team", "c2", REPO);
    GenerationPlan plan =
        GenerationPlanner.plan(Given.of(a, b).inputs()).withoutOwnedElsewhere(Set.of("a"));
    assertThat(plan.upserts()).extracting(StoredApplication::name).containsExactly("b");
    assertThat(plan.errors())
        .containsExactly(new GenerationError("Application a", GenerationPlan.OWNED_ELSEWHERE));
    assertThat(GenerationPlan.OWNED_ELSEWHERE).contains("belongs to another ApplicationSet");
  }

  @Test
  void withoutConflictsThePlanIsUnchanged() {
    GenerationPlan plan = GenerationPlanner.plan(Given.of(app("a", "team", "c1", REPO)).inputs());
    assertThat(plan.withoutOwnedElsewhere(Set.of("zzz"))).isSameAs(plan);
  }

  @Test
  void storedApplicationsKeepTheirGenerationAndFollowTheSetsPreservePolicy() {
    GeneratedApplication a = app("a", "", "c2", REPO);
    GenerationInputs given = Given.of(a).owning(stored(app("a", "", "c1", REPO), "c1")).inputs();
    GenerationInputs preserving =
        new GenerationInputs(
            given.applicationSet(),
            new GenerationResult(List.of(a), List.of(), Optional.of(Duration.ofSeconds(30))),
            given.owned(),
            given.policy(),
            true,
            false,
            given.templateProjects(),
            given.projects(),
            given.clusters(),
            given.revisions());
    GenerationPlan plan = GenerationPlanner.plan(preserving);
    StoredApplication stored = plan.upserts().get(0);
    assertThat(stored.generation()).isEqualTo(7);
    assertThat(stored.project()).isEqualTo("default");
    assertThat(stored.applicationSet()).isEqualTo("set");
    assertThat(stored.deleteResourcesOnRemoval()).isFalse();
    assertThat(
            stored.document().getJsonObject("spec").getJsonObject("destination").getString("name"))
        .isEqualTo("c2");
    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  void planningTwiceGivesTheSamePlan() {
    GenerationInputs given =
        Given.of(app("a", "team", "c1", REPO), app("b", "team", "nowhere", UNREACHABLE))
            .owning(stored(app("c", "team", "c2", REPO), "c2"))
            .inputs();
    assertThat(GenerationPlanner.plan(given)).isEqualTo(GenerationPlanner.plan(given));
  }

  private static String summary(Upsert u) {
    return u.name()
        + " on "
        + u.cluster()
        + " at "
        + u.revision()
        + (u.dispatchError() == null ? "" : " held");
  }

  private static String summary(StoredApplication u) {
    return summary(new Upsert(u.name(), u.cluster(), u.revision(), u.dispatchError()));
  }

  private static String expectedError(Expected e, String name) {
    return e.upserts().stream()
        .filter(u -> u.name().equals(name))
        .findFirst()
        .orElseThrow()
        .dispatchError();
  }

  private static void assertPrefix(String actual, String expectedPrefix) {
    if (expectedPrefix == null) {
      assertThat(actual).isNull();
    } else {
      assertThat(actual).startsWith(expectedPrefix);
    }
  }

  private static void assertPrefixes(String what, List<String> actual, List<String> expected) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i)).as(what + "[" + i + "]").startsWith(expected.get(i));
    }
  }

  // --- fixtures ---

  private static List<String> none() {
    return List.of();
  }

  private static List<Upsert> ups(Upsert... u) {
    return List.of(u);
  }

  private static Expected expect(
      List<Upsert> upserts,
      List<String> deletes,
      List<String> kept,
      List<String> errors,
      List<String> notes,
      String... clusters) {
    return new Expected(upserts, deletes, kept, errors, notes, Set.of(clusters));
  }

  static GeneratedApplication app(String name, String project, String cluster, String repo) {
    ObjectNode doc = skeleton(name, project, repo);
    ((ObjectNode) doc.path("spec").path("destination")).put("name", cluster);
    return new GeneratedApplication(name, doc);
  }

  /** The same Application naming chart "web" of its repository (a Helm repository). */
  static GeneratedApplication chart(GeneratedApplication app) {
    ObjectNode doc = app.document().deepCopy();
    ((ObjectNode) doc.path("spec").path("source")).put("chart", "web").put("targetRevision", "1.*");
    return new GeneratedApplication(app.name(), doc);
  }

  static GeneratedApplication appOnServer(String name, String server) {
    ObjectNode doc = skeleton(name, "team", REPO);
    ((ObjectNode) doc.path("spec").path("destination")).put("server", server);
    return new GeneratedApplication(name, doc);
  }

  private static ObjectNode skeleton(String name, String project, String repo) {
    ObjectNode doc = JSON.createObjectNode();
    doc.put("apiVersion", "argoproj.io/v1alpha1").put("kind", "Application");
    doc.putObject("metadata").put("name", name);
    ObjectNode spec = doc.putObject("spec");
    if (!project.isEmpty()) {
      spec.put("project", project);
    }
    if (!repo.isEmpty()) {
      spec.putObject("source").put("repoURL", repo).put("targetRevision", "main").put("path", name);
    }
    spec.putObject("destination").put("namespace", name);
    return doc;
  }

  private static GeneratedApplication withLabel(GeneratedApplication app, String value) {
    ObjectNode doc = app.document().deepCopy();
    ((ObjectNode) doc.path("metadata")).putObject("labels").put("big", value);
    return new GeneratedApplication(app.name(), doc);
  }

  /**
   * What a previous generation stored for {@code app}: the same content, at the revision its
   * repository resolves to now, or at an older one when the repository is unreachable now.
   */
  static StoredApplication stored(GeneratedApplication app, String cluster) {
    return new StoredApplication(
        app.name(),
        "set",
        app.project().isEmpty() ? "default" : app.project(),
        cluster,
        new JsonObject(app.document().toString()),
        app.repoUrl().isEmpty() ? "" : app.repoUrl().equals(UNREACHABLE) ? OLD_SHA : SHA,
        7,
        null,
        true);
  }

  static StoredApplication held(StoredApplication app, String why) {
    return new StoredApplication(
        app.name(),
        app.applicationSet(),
        app.project(),
        app.cluster(),
        app.document(),
        app.revision(),
        app.generation(),
        why,
        app.deleteResourcesOnRemoval());
  }
}
