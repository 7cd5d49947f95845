package dev.flotilla.controlplane.appofapps.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AppOfAppsPlannerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A parent in project {@code team-a} and what it declares, owns and may do. */
  static final class Given {
    final List<DesiredChild> desired = new ArrayList<>();
    final List<ExistingChild> owned = new ArrayList<>();
    final Map<ChildKey, String> elsewhere = new HashMap<>();
    final Map<ChildKind, String> forbidden = new HashMap<>();
    Optional<String> renderError = Optional.empty();
    boolean prune = true;
    boolean allowEmpty;

    Given app(String name, String project) {
      desired.add(
          new DesiredChild(
              key(ChildKind.APPLICATION, name), doc(name, 1), name + "@1", Set.of(project), null));
      return this;
    }

    Given appSet(String name, String... projects) {
      desired.add(
          new DesiredChild(
              key(ChildKind.APPLICATION_SET, name),
              doc(name, 1),
              name + "@1",
              Set.of(projects),
              null));
      return this;
    }

    Given project(String name) {
      desired.add(
          new DesiredChild(
              key(ChildKind.APP_PROJECT, name), doc(name, 1), name + "@1", Set.of(), null));
      return this;
    }

    Given invalid(String name, String why) {
      desired.add(
          new DesiredChild(
              key(ChildKind.APPLICATION, name), doc(name, 1), name + "@1", Set.of(), why));
      return this;
    }

    Given owns(ChildKind kind, String name, int version) {
      owned.add(new ExistingChild(key(kind, name), name + "@" + version));
      return this;
    }

    Given taken(ChildKind kind, String name, String owner) {
      elsewhere.put(key(kind, name), owner);
      return this;
    }

    Given forbid(ChildKind kind) {
      forbidden.put(kind, "project 'team-a' does not permit " + kind.kind());
      return this;
    }

    Given renderError(String why) {
      renderError = Optional.of(why);
      return this;
    }

    Given noPrune() {
      prune = false;
      return this;
    }

    Given allowEmpty() {
      allowEmpty = true;
      return this;
    }

    AppOfAppsInputs inputs() {
      return new AppOfAppsInputs(
          "root",
          "team-a",
          renderError,
          desired,
          owned,
          elsewhere,
          kind -> Optional.ofNullable(forbidden.get(kind)),
          prune,
          allowEmpty);
    }
  }

  record Case(
      String name,
      Given given,
      List<String> creates,
      List<String> updates,
      List<String> prunes,
      List<String> kept,
      List<String> conditions) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Given given() {
    return new Given();
  }

  static ChildKey key(ChildKind kind, String name) {
    return new ChildKey(kind, name);
  }

  static JsonNode doc(String name, int version) {
    return JSON.createObjectNode().put("name", name).put("version", version);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "new children are created, the project before what names it",
            given().app("web", "team-b").appSet("jobs", "team-a").project("team-b"),
            List.of("AppProject 'team-b'", "ApplicationSet 'jobs'", "Application 'web'"),
            List.of(),
            List.of(),
            List.of(),
            List.of()),
        new Case(
            "unchanged children change nothing",
            given().app("web", "team-a").owns(ChildKind.APPLICATION, "web", 1),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of()),
        new Case(
            "a changed declaration is an update",
            given().app("web", "team-a").owns(ChildKind.APPLICATION, "web", 0),
            List.of(),
            List.of("Application 'web'"),
            List.of(),
            List.of(),
            List.of()),
        new Case(
            "a child gone from Git is pruned when the parent prunes, Applications before projects",
            given()
                .app("web", "team-a")
                .owns(ChildKind.APPLICATION, "web", 1)
                .owns(ChildKind.APPLICATION, "old", 1)
                .owns(ChildKind.APP_PROJECT, "old-project", 1),
            List.of(),
            List.of(),
            List.of("Application 'old'", "AppProject 'old-project'"),
            List.of(),
            List.of()),
        new Case(
            "a child gone from Git is kept while the parent does not prune",
            given()
                .noPrune()
                .app("web", "team-a")
                .owns(ChildKind.APPLICATION, "web", 1)
                .owns(ChildKind.APPLICATION, "old", 1),
            List.of(),
            List.of(),
            List.of(),
            List.of("Application 'old'"),
            List.of(ParentCondition.PRUNE_HELD_BACK)),
        new Case(
            "a render error changes nothing, deletes nothing",
            given().renderError("apps/x.yaml: invalid YAML").owns(ChildKind.APPLICATION, "web", 1),
            List.of(),
            List.of(),
            List.of(),
            List.of("Application 'web'"),
            List.of(ParentCondition.RENDER_ERROR)),
        new Case(
            "a child naming another project is refused; the others proceed, nothing is pruned",
            given()
                .app("web", "team-a")
                .app("evil", "platform")
                .owns(ChildKind.APPLICATION, "old", 1),
            List.of("Application 'web'"),
            List.of(),
            List.of(),
            List.of("Application 'old'"),
            List.of(ParentCondition.CHILD_REFUSED, ParentCondition.PRUNE_HELD_BACK)),
        new Case(
            "an ApplicationSet whose templates name another project is refused",
            given().appSet("jobs", "team-a", "platform"),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(ParentCondition.CHILD_REFUSED)),
        new Case(
            "an AppProject child may not take over a project that exists",
            given().project("platform").taken(ChildKind.APP_PROJECT, "platform", "nobody"),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(ParentCondition.CHILD_REFUSED)),
        new Case(
            "a kind the parent's project does not permit is refused",
            given().project("team-b").app("web", "team-b").forbid(ChildKind.APP_PROJECT),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            // web names team-b, which was not declared after all
            List.of(ParentCondition.CHILD_REFUSED, ParentCondition.CHILD_REFUSED)),
        new Case(
            "an Application of another owner is never taken over",
            given().app("web", "team-a").taken(ChildKind.APPLICATION, "web", "ApplicationSet 'x'"),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(ParentCondition.CHILD_REFUSED)),
        new Case(
            "an Application cannot be its own child",
            given().app("root", "team-a"),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(ParentCondition.CHILD_REFUSED)),
        new Case(
            "an invalid child is refused and blocks pruning",
            given().invalid("Bad_Name", "bad name").owns(ChildKind.APPLICATION, "old", 1),
            List.of(),
            List.of(),
            List.of(),
            List.of("Application 'old'"),
            List.of(ParentCondition.CHILD_REFUSED, ParentCondition.PRUNE_HELD_BACK)),
        new Case(
            "a child declared twice is refused and an owned one of that name is kept",
            given().app("web", "team-a").app("web", "team-a").owns(ChildKind.APPLICATION, "web", 0),
            List.of(),
            List.of(),
            List.of(),
            List.of(),
            List.of(ParentCondition.CHILD_REFUSED)),
        new Case(
            "deleting every child at once needs allow-empty",
            given().owns(ChildKind.APPLICATION, "a", 1).owns(ChildKind.APPLICATION_SET, "b", 1),
            List.of(),
            List.of(),
            List.of(),
            List.of("ApplicationSet 'b'", "Application 'a'"),
            List.of(ParentCondition.PRUNE_HELD_BACK)),
        new Case(
            "with allow-empty every child may go",
            given()
                .allowEmpty()
                .owns(ChildKind.APPLICATION, "a", 1)
                .owns(ChildKind.APPLICATION_SET, "b", 1),
            List.of(),
            List.of(),
            List.of("Application 'a'", "ApplicationSet 'b'"),
            List.of(),
            List.of()),
        new Case(
            "replacing every child by new ones needs no allow-empty: the manifests are not empty",
            given().app("new", "team-a").owns(ChildKind.APPLICATION, "old", 1),
            List.of("Application 'new'"),
            List.of(),
            List.of("Application 'old'"),
            List.of(),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(Case c) {
    AppOfAppsPlan plan = AppOfAppsPlanner.plan(c.given().inputs());

    assertThat(plan.creates().stream().map(d -> d.key().toString()))
        .as("creates")
        .containsExactlyElementsOf(c.creates());
    assertThat(plan.updates().stream().map(d -> d.key().toString()))
        .as("updates")
        .containsExactlyElementsOf(c.updates());
    assertThat(plan.prunes().stream().map(ChildKey::toString))
        .as("prunes")
        .containsExactlyElementsOf(c.prunes());
    assertThat(plan.kept().stream().map(ChildKey::toString))
        .as("kept")
        .containsExactlyElementsOf(c.kept());
    assertThat(plan.conditions().stream().map(ParentCondition::type))
        .as("conditions")
        .containsExactlyInAnyOrderElementsOf(c.conditions());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void planningTheResultAgainChangesNothing(Case c) {
    AppOfAppsPlan first = AppOfAppsPlanner.plan(c.given().inputs());
    Given after = c.given();
    List<ExistingChild> owned = new ArrayList<>();
    for (ChildKey k : first.children()) {
      String declared =
          after.desired.stream()
              .filter(d -> d.key().equals(k))
              .map(DesiredChild::digest)
              .findFirst()
              .orElseGet(
                  () ->
                      after.owned.stream()
                          .filter(e -> e.key().equals(k))
                          .findFirst()
                          .orElseThrow()
                          .declared());
      owned.add(new ExistingChild(k, declared));
    }
    after.owned.clear();
    after.owned.addAll(owned);

    AppOfAppsPlan second = AppOfAppsPlanner.plan(after.inputs());

    assertThat(second.creates()).isEmpty();
    assertThat(second.updates()).isEmpty();
    assertThat(second.prunes()).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void refusalsNameTheChildAndTheRule() {
    AppOfAppsPlan plan = AppOfAppsPlanner.plan(given().app("evil", "platform").inputs());

    assertThat(plan.conditions())
        .extracting(ParentCondition::message)
        .containsExactly(
            "Application 'evil': names project 'platform', but a child may name only its"
                + " parent's project ('team-a') or a project the same parent declares");
  }

  @org.junit.jupiter.api.Test
  void aHeldBackPruneSaysHowToAllowIt() {
    AppOfAppsPlan plan =
        AppOfAppsPlanner.plan(given().owns(ChildKind.APPLICATION, "a", 1).inputs());

    assertThat(plan.conditions())
        .extracting(ParentCondition::message)
        .singleElement()
        .asString()
        .contains("every child at once")
        .contains("allowEmpty: true")
        .contains(AppOfAppsAllowEmpty.ANNOTATION);
  }
}
