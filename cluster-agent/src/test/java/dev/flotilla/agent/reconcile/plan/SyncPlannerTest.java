package dev.flotilla.agent.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.SyncOptions;
import dev.flotilla.agent.reconcile.SyncOrder;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.Tracking;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sync rule as a table row, in the style of Argo CD's {@code matrix_test.go}: the inputs
 * (policy, rendered objects, live objects, what the Application owns) and the plan expected. Plans
 * are written as short strings: a wave step is {@code "<wave>: <object> <MODE>"}, a prune step
 * {@code "<object>"} or {@code "<object> kept: <why>"}, a refusal {@code "<RULE>: <reason>"}.
 */
class SyncPlannerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP = "app";
  private static final String PRUNE = "{\"automated\":{\"prune\":true}}";

  /** A Kubernetes object in namespace {@code ns}, tracked by nobody unless {@link #owner} says. */
  record Obj(String apiVersion, String kind, String name, Map<String, String> annotations) {

    Obj with(String annotation, String value) {
      Map<String, String> a = new LinkedHashMap<>(annotations);
      a.put(annotation, value);
      return new Obj(apiVersion, kind, name, a);
    }

    Obj wave(int wave) {
      return with(SyncOrder.WAVE_ANNOTATION, Integer.toString(wave));
    }

    Obj options(String options) {
      return with(SyncOptions.ANNOTATION, options);
    }

    /** Tracked as {@code app}'s, as the agent marks what it applies. */
    Obj owner(String app) {
      return with(Tracking.TRACKING_ID, Tracking.trackingId(app, ObjectKey.of(json())));
    }

    ObjectNode json() {
      ObjectNode o = JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
      ObjectNode meta = o.putObject("metadata").put("name", name);
      if (!kind.equals("Namespace")) {
        meta.put("namespace", "ns");
      }
      annotations.forEach(meta.with("annotations")::put);
      return o;
    }
  }

  static Obj cm(String name) {
    return new Obj("v1", "ConfigMap", name, Map.of());
  }

  static Obj deploy(String name) {
    return new Obj("apps/v1", "Deployment", name, Map.of());
  }

  static Obj svc(String name) {
    return new Obj("v1", "Service", name, Map.of());
  }

  static Obj namespace(String name) {
    return new Obj("v1", "Namespace", name, Map.of());
  }

  static Obj widget(String name) {
    return new Obj("example.com/v1", "Widget", name, Map.of());
  }

  /**
   * One row.
   *
   * @param policy {@code spec.syncPolicy} as JSON, null for manual
   * @param apply sync (true) or compare (false)
   * @param desired what the render produced (already prepared)
   * @param live the live versions of desired objects
   * @param owned what the cluster holds with this Application's label
   */
  record Case(
      String name,
      String policy,
      boolean apply,
      List<Obj> desired,
      List<Obj> live,
      List<Obj> owned,
      Expected expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  record Expected(
      SyncPlan.Decision decision,
      List<String> refusals,
      List<String> waves,
      List<String> prune,
      boolean pruneLast) {}

  static Expected apply(List<String> waves, List<String> prune) {
    return new Expected(SyncPlan.Decision.APPLY, List.of(), waves, prune, false);
  }

  static Expected refuse(String... refusals) {
    return new Expected(SyncPlan.Decision.REFUSE, List.of(refusals), List.of(), List.of(), false);
  }

  static final Expected COMPARE =
      new Expected(SyncPlan.Decision.COMPARE_ONLY, List.of(), List.of(), List.of(), false);

  static Stream<Case> cases() {
    return Stream.of(
        // ---------------------------------------------------------------- apply or compare
        new Case(
            "manual policy compares only, even with a foreign object in the way",
            null,
            false,
            List.of(cm("a")),
            List.of(cm("a").owner("other")),
            List.of(),
            COMPARE),
        new Case(
            "compare only never refuses an empty render (nothing is pruned anyway)",
            PRUNE,
            false,
            List.of(),
            List.of(),
            List.of(cm("old").owner(APP)),
            COMPARE),
        new Case(
            "a sync applies every rendered object in one wave by default",
            PRUNE,
            true,
            List.of(cm("a")),
            List.of(),
            List.of(),
            apply(List.of("0: ConfigMap ns/a PATCH"), List.of())),
        // ---------------------------------------------------------------- waves and order
        new Case(
            "waves ascend, negative ones first",
            PRUNE,
            true,
            List.of(deploy("web").wave(1), cm("cfg").wave(-1), svc("web")),
            List.of(),
            List.of(),
            apply(
                List.of(
                    "-1: ConfigMap ns/cfg PATCH",
                    "0: Service ns/web PATCH",
                    "1: apps/Deployment ns/web PATCH"),
                List.of())),
        new Case(
            "within a wave: namespaces and config before workloads, custom kinds last, then by name",
            PRUNE,
            true,
            List.of(widget("w"), deploy("web"), cm("b"), cm("a"), namespace("team")),
            List.of(),
            List.of(),
            apply(
                List.of(
                    "0: Namespace team PATCH",
                    "0: ConfigMap ns/a PATCH",
                    "0: ConfigMap ns/b PATCH",
                    "0: apps/Deployment ns/web PATCH",
                    "0: example.com/Widget ns/w PATCH"),
                List.of())),
        // ---------------------------------------------------------------- modes
        new Case(
            "Replace=true on the Application replaces every object",
            "{\"automated\":{},\"syncOptions\":[\"Replace=true\"]}",
            true,
            List.of(cm("a")),
            List.of(),
            List.of(),
            apply(List.of("0: ConfigMap ns/a REPLACE"), List.of())),
        new Case(
            "an object's Replace=false overrides the Application's Replace=true",
            "{\"automated\":{},\"syncOptions\":[\"Replace=true\"]}",
            true,
            List.of(cm("a").options("Replace=false"), cm("b")),
            List.of(),
            List.of(),
            apply(List.of("0: ConfigMap ns/a PATCH", "0: ConfigMap ns/b REPLACE"), List.of())),
        new Case(
            "ServerSideApply=true on the Application, per object, and switched off per object",
            "{\"automated\":{},\"syncOptions\":[\"ServerSideApply=true\"]}",
            true,
            List.of(cm("a"), cm("b").options("ServerSideApply=false")),
            List.of(),
            List.of(),
            apply(List.of("0: ConfigMap ns/a SERVER_SIDE", "0: ConfigMap ns/b PATCH"), List.of())),
        new Case(
            "an object's own options apply without any on the Application; Replace wins over SSA",
            "{\"automated\":{}}",
            true,
            List.of(
                cm("a").options("ServerSideApply=true"),
                cm("b").options("Replace=true,ServerSideApply=true")),
            List.of(),
            List.of(),
            apply(
                List.of("0: ConfigMap ns/a SERVER_SIDE", "0: ConfigMap ns/b REPLACE"), List.of())),
        // ---------------------------------------------------------------- ownership
        new Case(
            "an object another Application tracks refuses the whole sync before any write",
            PRUNE,
            true,
            List.of(cm("a"), cm("b")),
            List.of(cm("b").owner("other")),
            List.of(),
            refuse(
                "OWNED_BY_ANOTHER_APPLICATION: ConfigMap ns/b is owned by application 'other',"
                    + " not 'app'")),
        new Case(
            "every foreign object is named",
            PRUNE,
            true,
            List.of(cm("a"), cm("b")),
            List.of(cm("a").owner("x"), cm("b").owner("y")),
            List.of(),
            refuse(
                "OWNED_BY_ANOTHER_APPLICATION: ConfigMap ns/a is owned by application 'x', not 'app'",
                "OWNED_BY_ANOTHER_APPLICATION: ConfigMap ns/b is owned by application 'y',"
                    + " not 'app'")),
        new Case(
            "an untracked live object is adopted, as Argo CD does",
            PRUNE,
            true,
            List.of(cm("a")),
            List.of(cm("a")),
            List.of(),
            apply(List.of("0: ConfigMap ns/a PATCH"), List.of())),
        new Case(
            "our own live object is applied over",
            PRUNE,
            true,
            List.of(cm("a")),
            List.of(cm("a").owner(APP)),
            List.of(cm("a").owner(APP)),
            apply(List.of("0: ConfigMap ns/a PATCH"), List.of())),
        // ---------------------------------------------------------------- empty render guard
        new Case(
            "an empty render never prunes everything",
            PRUNE,
            true,
            List.of(),
            List.of(),
            List.of(cm("old").owner(APP), cm("older").owner(APP)),
            refuse(
                "EMPTY_RENDER: render yielded no objects; refusing to prune the 2 objects this"
                    + " application owns (set syncPolicy.automated.allowEmpty to allow)")),
        new Case(
            "allowEmpty lets an empty render prune",
            "{\"automated\":{\"prune\":true,\"allowEmpty\":true}}",
            true,
            List.of(),
            List.of(),
            List.of(cm("old").owner(APP)),
            apply(List.of(), List.of("ConfigMap ns/old"))),
        new Case(
            "an empty render without prune is harmless: nothing is refused, nothing pruned",
            "{\"automated\":{}}",
            true,
            List.of(),
            List.of(),
            List.of(cm("old").owner(APP)),
            apply(List.of(), List.of())),
        new Case(
            "an empty render owning nothing is not refused",
            PRUNE,
            true,
            List.of(),
            List.of(),
            List.of(),
            apply(List.of(), List.of())),
        // ---------------------------------------------------------------- prune
        new Case(
            "prune only with prune: true",
            "{\"automated\":{\"prune\":false}}",
            true,
            List.of(cm("a")),
            List.of(),
            List.of(cm("gone").owner(APP)),
            apply(List.of("0: ConfigMap ns/a PATCH"), List.of())),
        new Case(
            "prune runs in reverse apply order: last wave first, workloads before their config",
            PRUNE,
            true,
            List.of(cm("keep")),
            List.of(),
            List.of(
                namespace("old-ns").owner(APP),
                cm("old-cfg").owner(APP),
                deploy("old-web").owner(APP),
                cm("late").wave(5).owner(APP)),
            apply(
                List.of("0: ConfigMap ns/keep PATCH"),
                List.of(
                    "ConfigMap ns/late",
                    "apps/Deployment ns/old-web",
                    "ConfigMap ns/old-cfg",
                    "Namespace old-ns"))),
        new Case(
            "a hook object left by a sync (Argo CD's or Helm's annotation) is never pruned",
            PRUNE,
            true,
            List.of(cm("a")),
            List.of(),
            List.of(
                new Obj("batch/v1", "Job", "migrate-x2k4q", Map.of())
                    .with("argocd.argoproj.io/hook", "PreSync")
                    .owner(APP),
                new Obj("batch/v1", "Job", "upgrade", Map.of())
                    .with("helm.sh/hook", "pre-upgrade")
                    .owner(APP),
                cm("gone").owner(APP)),
            apply(List.of("0: ConfigMap ns/a PATCH"), List.of("ConfigMap ns/gone"))),
        new Case(
            "Prune=false keeps an object, and says so",
            PRUNE,
            true,
            List.of(cm("a")),
            List.of(),
            List.of(cm("precious").options("Prune=false").owner(APP), cm("gone").owner(APP)),
            apply(
                List.of("0: ConfigMap ns/a PATCH"),
                List.of(
                    "ConfigMap ns/precious kept: ignored for pruning (Prune=false)",
                    "ConfigMap ns/gone"))),
        new Case(
            "only what this Application tracks is pruned, never another's or nobody's",
            PRUNE,
            true,
            List.of(cm("a")),
            List.of(),
            List.of(cm("theirs").owner("other"), cm("nobodys"), cm("a").owner(APP)),
            apply(List.of("0: ConfigMap ns/a PATCH"), List.of())),
        new Case(
            "a malformed wave on a live object to prune counts as wave 0",
            PRUNE,
            true,
            List.of(cm("a")),
            List.of(),
            List.of(cm("odd").with(SyncOrder.WAVE_ANNOTATION, "soon").owner(APP)),
            apply(List.of("0: ConfigMap ns/a PATCH"), List.of("ConfigMap ns/odd"))),
        // ---------------------------------------------------------------- PruneLast
        new Case(
            "PruneLast=true with prune waits for health before pruning",
            "{\"automated\":{\"prune\":true},\"syncOptions\":[\"PruneLast=true\"]}",
            true,
            List.of(cm("a")),
            List.of(),
            List.of(cm("gone").owner(APP)),
            new Expected(
                SyncPlan.Decision.APPLY,
                List.of(),
                List.of("0: ConfigMap ns/a PATCH"),
                List.of("ConfigMap ns/gone"),
                true)),
        new Case(
            "PruneLast=true without prune has nothing to wait for",
            "{\"automated\":{},\"syncOptions\":[\"PruneLast=true\"]}",
            true,
            List.of(cm("a")),
            List.of(),
            List.of(),
            apply(List.of("0: ConfigMap ns/a PATCH"), List.of())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(Case c) {
    SyncPlan plan = SyncPlanner.plan(request(c));

    assertThat(plan.decision()).isEqualTo(c.expected().decision());
    assertThat(plan.refusals().stream().map(r -> r.rule() + ": " + r.reason()).toList())
        .containsExactlyElementsOf(c.expected().refusals());
    assertThat(describeWaves(plan)).containsExactlyElementsOf(c.expected().waves());
    assertThat(describePrune(plan.prune())).containsExactlyElementsOf(c.expected().prune());
    assertThat(plan.pruneLast()).isEqualTo(c.expected().pruneLast());
  }

  static SyncRequest request(Case c) {
    Map<ObjectKey, ObjectNode> desired = new LinkedHashMap<>();
    c.desired().forEach(o -> desired.put(ObjectKey.of(o.json()), o.json()));
    Map<ObjectKey, ObjectNode> live = new LinkedHashMap<>();
    c.live().forEach(o -> live.put(ObjectKey.of(o.json()), o.json()));
    return new SyncRequest(
        app(c.policy(), ""), c.apply(), desired, live, c.owned().stream().map(Obj::json).toList());
  }

  static AppSpec app(String policy, String extra) {
    return AppSpec.parse(
        APP,
        "default",
        "{\"source\":{\"repoURL\":\"https://git.example/r.git\",\"path\":\"apps/a\"},"
            + "\"destination\":{\"namespace\":\"ns\"}"
            + (policy == null ? "" : ",\"syncPolicy\":" + policy)
            + extra
            + "}");
  }

  static List<String> describeWaves(SyncPlan plan) {
    List<String> out = new ArrayList<>();
    for (Wave w : plan.waves()) {
      for (PlannedApply a : w.objects()) {
        out.add(w.number() + ": " + a.key() + " " + a.mode());
      }
    }
    return out;
  }

  static List<String> describePrune(List<PlannedPrune> prune) {
    return prune.stream()
        .map(p -> p.key() + p.keptBecause().map(why -> " kept: " + why).orElse(""))
        .toList();
  }

  // -------------------------------------------------------------------- single rules

  @Test
  void aRefusalReadsAsASyncErrorForOwnershipAndAsItselfForTheEmptyRenderGuard() {
    SyncPlan foreign =
        SyncPlanner.plan(
            new SyncRequest(
                app(PRUNE, ""),
                true,
                Map.of(ObjectKey.of(cm("a").json()), cm("a").json()),
                Map.of(ObjectKey.of(cm("a").json()), cm("a").owner("other").json()),
                List.of()));
    assertThat(foreign.refusalMessage())
        .isEqualTo("sync error: ConfigMap ns/a is owned by application 'other', not 'app'");
    assertThat(foreign.refusals().get(0).object()).contains(ObjectKey.of(cm("a").json()));

    SyncPlan empty =
        SyncPlanner.plan(
            new SyncRequest(
                app(PRUNE, ""), true, Map.of(), Map.of(), List.of(cm("old").owner(APP).json())));
    assertThat(empty.refusalMessage()).startsWith("render yielded no objects");
    assertThat(empty.refusals().get(0).object()).isEmpty();
    assertThat(empty.orphans()).hasSize(1);
  }

  @Test
  void ignoreDifferencesAndRespectIgnoreDifferencesReachTheAppliedObjects() {
    AppSpec app =
        app(
            "{\"automated\":{},\"syncOptions\":[\"RespectIgnoreDifferences=true\"]}",
            ",\"ignoreDifferences\":[{\"kind\":\"ConfigMap\",\"name\":\"a\","
                + "\"jsonPointers\":[\"/data/x\"]}]");
    Map<ObjectKey, ObjectNode> desired = new LinkedHashMap<>();
    desired.put(ObjectKey.of(cm("a").json()), cm("a").json());
    desired.put(ObjectKey.of(cm("b").json()), cm("b").json());

    SyncPlan plan = SyncPlanner.plan(new SyncRequest(app, true, desired, Map.of(), List.of()));

    assertThat(plan.respectIgnoreDifferences()).isTrue();
    assertThat(plan.waves().get(0).objects())
        .extracting(PlannedApply::ignoredPointers)
        .containsExactly(List.of("/data/x"), List.of());
  }

  @Test
  void theOrphansAreWhatTheApplicationOwnsAndNoLongerRendersWhateverTheDecision() {
    SyncRequest compare =
        new SyncRequest(
            app(null, ""),
            false,
            Map.of(ObjectKey.of(cm("a").json()), cm("a").json()),
            Map.of(),
            List.of(cm("a").owner(APP).json(), cm("gone").owner(APP).json()));

    assertThat(SyncPlanner.plan(compare).orphans())
        .extracting(o -> ObjectKey.of(o).name())
        .containsExactly("gone");
  }

  @Test
  void unassigningDeletesInReverseApplyOrderAndKeepsDeleteFalse() {
    List<PlannedPrune> deletion =
        SyncPlanner.planDeletion(
            List.of(
                namespace("team").owner(APP).json(),
                cm("cfg").owner(APP).json(),
                deploy("web").owner(APP).json(),
                cm("keep").options("Delete=false").owner(APP).json()));

    assertThat(describePrune(deletion))
        .containsExactly(
            "apps/Deployment ns/web",
            "ConfigMap ns/keep kept: kept: Delete=false",
            "ConfigMap ns/cfg",
            "Namespace team");
  }
}
