package dev.flotilla.agent.reconcile.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.agent.reconcile.health.Health;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hook rules as table rows: how annotations (Argo CD's, and Helm's as Argo CD maps them) make a
 * manifest a resource, a hook of some phases, skipped or never run; weights; delete policies;
 * names; and when a hook has finished. A classification is written {@code "ROLE phases wave
 * policies"}, e.g. {@code "HOOK [PRE_SYNC] 0 [BEFORE_HOOK_CREATION]"}.
 */
class HookPlannerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode obj(String kind, String name, String... annotations) {
    ObjectNode o =
        JSON.createObjectNode()
            .put("apiVersion", kind.equals("Job") ? "batch/v1" : "v1")
            .put("kind", kind);
    ObjectNode meta = o.putObject("metadata").put("namespace", "ns");
    if (name.endsWith("-")) {
      meta.put("generateName", name);
    } else {
      meta.put("name", name);
    }
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i < annotations.length; i += 2) {
      a.put(annotations[i], annotations[i + 1]);
    }
    a.forEach(meta.with("annotations")::put);
    return o;
  }

  static ObjectNode job(String... annotations) {
    return obj("Job", "migrate", annotations);
  }

  record Case(String name, ObjectNode manifest, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String HOOK = HookAnnotations.HOOK;
  static final String POLICY = HookAnnotations.DELETE_POLICY;
  static final String HELM = HookAnnotations.HELM_HOOK;
  static final String WEIGHT = HookAnnotations.HELM_WEIGHT;
  static final String HELM_POLICY = HookAnnotations.HELM_DELETE_POLICY;
  static final String WAVE = "argocd.argoproj.io/sync-wave";
  static final String BHC = "[BEFORE_HOOK_CREATION]";

  static Stream<Case> classifications() {
    return Stream.of(
        new Case("no annotation: a resource", job(), "RESOURCE [] 0 []"),
        new Case("PreSync", job(HOOK, "PreSync"), "HOOK [PRE_SYNC] 0 " + BHC),
        new Case("Sync", job(HOOK, "Sync"), "HOOK [SYNC] 0 " + BHC),
        new Case("PostSync", job(HOOK, "PostSync"), "HOOK [POST_SYNC] 0 " + BHC),
        new Case("SyncFail", job(HOOK, "SyncFail"), "HOOK [SYNC_FAIL] 0 " + BHC),
        new Case(
            "a comma-separated list runs in each phase",
            job(HOOK, "PreSync, PostSync"),
            "HOOK [PRE_SYNC, POST_SYNC] 0 " + BHC),
        new Case("Skip alone is never applied", job(HOOK, "Skip"), "SKIP [] 0 []"),
        new Case(
            "Skip with a phase is ignored, as in Argo CD",
            job(HOOK, "Skip,PreSync"),
            "HOOK [PRE_SYNC] 0 " + BHC),
        new Case("PreDelete is not run by a sync", job(HOOK, "PreDelete"), "NOT_RUN [] 0 []"),
        new Case("helm pre-install", job(HELM, "pre-install"), "HOOK [PRE_SYNC] 0 " + BHC),
        new Case("helm pre-upgrade", job(HELM, "pre-upgrade"), "HOOK [PRE_SYNC] 0 " + BHC),
        new Case(
            "helm post-install,post-upgrade",
            job(HELM, "post-install,post-upgrade"),
            "HOOK [POST_SYNC] 0 " + BHC),
        new Case(
            "helm pre-install,post-upgrade",
            job(HELM, "pre-install,post-upgrade"),
            "HOOK [PRE_SYNC, POST_SYNC] 0 " + BHC),
        new Case("helm crd-install is a resource", job(HELM, "crd-install"), "RESOURCE [] 0 []"),
        new Case("helm test is never run", job(HELM, "test"), "NOT_RUN [] 0 []"),
        new Case("helm test-success is never run", job(HELM, "test-success"), "NOT_RUN [] 0 []"),
        new Case("helm pre-delete is never run", job(HELM, "pre-delete"), "NOT_RUN [] 0 []"),
        new Case("helm post-rollback is never run", job(HELM, "post-rollback"), "NOT_RUN [] 0 []"),
        new Case(
            "helm install hook with a test hook",
            job(HELM, "pre-install,test"),
            "HOOK [PRE_SYNC] 0 " + BHC),
        new Case(
            "Argo CD's annotation wins over Helm's",
            job(HOOK, "Sync", HELM, "pre-install"),
            "HOOK [SYNC] 0 " + BHC),
        new Case(
            "sync-wave orders a hook",
            job(HOOK, "PreSync", WAVE, "-2"),
            "HOOK [PRE_SYNC] -2 " + BHC),
        new Case(
            "helm hook-weight orders a helm hook",
            job(HELM, "pre-install", WEIGHT, "5"),
            "HOOK [PRE_SYNC] 5 " + BHC),
        new Case(
            "sync-wave wins over hook-weight",
            job(HELM, "pre-install", WEIGHT, "5", WAVE, "1"),
            "HOOK [PRE_SYNC] 1 " + BHC),
        new Case(
            "a hook-weight that is not a number is 0, as Helm reads it",
            job(HELM, "pre-install", WEIGHT, "high"),
            "HOOK [PRE_SYNC] 0 " + BHC),
        new Case(
            "HookSucceeded",
            job(HOOK, "PreSync", POLICY, "HookSucceeded"),
            "HOOK [PRE_SYNC] 0 [HOOK_SUCCEEDED]"),
        new Case(
            "several policies",
            job(HOOK, "PreSync", POLICY, "HookFailed,BeforeHookCreation"),
            "HOOK [PRE_SYNC] 0 [BEFORE_HOOK_CREATION, HOOK_FAILED]"),
        new Case(
            "helm hook-succeeded",
            job(HELM, "pre-upgrade", HELM_POLICY, "hook-succeeded"),
            "HOOK [PRE_SYNC] 0 [HOOK_SUCCEEDED]"),
        new Case(
            "helm before-hook-creation,hook-failed",
            job(HELM, "post-install", HELM_POLICY, "before-hook-creation,hook-failed"),
            "HOOK [POST_SYNC] 0 [BEFORE_HOOK_CREATION, HOOK_FAILED]"),
        new Case(
            "Argo CD and Helm policies together",
            job(HOOK, "PostSync", POLICY, "HookFailed", HELM_POLICY, "hook-succeeded"),
            "HOOK [POST_SYNC] 0 [HOOK_FAILED, HOOK_SUCCEEDED]"),
        new Case(
            "an unknown Helm policy is ignored",
            job(HELM, "pre-install", HELM_POLICY, "sometimes"),
            "HOOK [PRE_SYNC] 0 " + BHC));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classifications")
  void classifies(Case c) {
    HookSpec spec = HookAnnotations.classify(c.manifest());
    String actual =
        spec.role()
            + " "
            + new TreeSet<>(spec.phases())
            + " "
            + spec.wave()
            + " "
            + new TreeSet<>(spec.deletePolicies().stream().map(Enum::name).toList());
    assertThat(actual).isEqualTo(c.expected());
  }

  record Bad(String name, ObjectNode manifest, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Bad> errors() {
    return Stream.of(
        new Bad(
            "a misspelt phase is refused, not silently ignored",
            job(HOOK, "Presync"),
            "argocd.argoproj.io/hook of Job migrate is 'Presync'; expected a comma-separated list"
                + " of PreSync, Sync, PostSync, SyncFail, Skip, PreDelete, PostDelete"),
        new Bad(
            "a misspelt delete policy is refused",
            obj("Job", "migrate-", HOOK, "PreSync", POLICY, "HookSucceded"),
            "argocd.argoproj.io/hook-delete-policy of Job migrate-* is 'HookSucceded'"),
        new Bad(
            "a malformed sync-wave names the object",
            job(HOOK, "PreSync", WAVE, "first"),
            "argocd.argoproj.io/sync-wave of Job migrate is 'first', not an integer"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void refusesMalformedAnnotations(Bad c) {
    assertThatThrownBy(() -> HookAnnotations.classify(c.manifest()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(c.message());
  }

  @Test
  void ordersEachPhaseByWaveThenKindThenName() {
    HookPlan plan =
        HookPlanner.plan(
            "shop",
            "op1",
            List.of(
                obj("Job", "b-job", HOOK, "PreSync"),
                obj("Job", "a-job", HOOK, "PreSync"),
                obj("ConfigMap", "z-config", HOOK, "PreSync"),
                obj("Job", "early", HOOK, "PreSync", WAVE, "-1"),
                obj("Job", "smoke", HOOK, "PostSync"),
                obj("Job", "both", HOOK, "Sync,SyncFail")));

    assertThat(describe(plan))
        .containsExactly(
            "PRE_SYNC -1: Job early",
            "PRE_SYNC 0: ConfigMap z-config, Job a-job, Job b-job",
            "SYNC 0: Job both",
            "POST_SYNC 0: Job smoke",
            "SYNC_FAIL 0: Job both");
  }

  static List<String> describe(HookPlan plan) {
    List<String> out = new ArrayList<>();
    plan.phases()
        .forEach(
            (phase, waves) ->
                waves.forEach(
                    w ->
                        out.add(
                            phase
                                + " "
                                + w.number()
                                + ": "
                                + String.join(
                                    ", ",
                                    w.hooks().stream()
                                        .map(h -> h.key().kind() + " " + h.key().name())
                                        .toList()))));
    return out;
  }

  @Test
  void generateNameGivesAFreshNamePerOperationAndPhaseButAStableOneWithinIt() {
    ObjectNode migrate = obj("Job", "migrate-", HOOK, "PreSync,PostSync");
    PlannedHook first = HookPlanner.plan("shop", "op1", List.of(migrate)).all().get(0);
    PlannedHook again = HookPlanner.plan("shop", "op1", List.of(migrate)).all().get(0);
    PlannedHook next = HookPlanner.plan("shop", "op2", List.of(migrate)).all().get(0);
    List<PlannedHook> phases = HookPlanner.plan("shop", "op1", List.of(migrate)).all();

    assertThat(first.key().name()).matches("migrate-[0-9a-f]{5}");
    assertThat(first.generatedName()).isTrue();
    assertThat(again.key()).isEqualTo(first.key());
    assertThat(next.key().name()).isNotEqualTo(first.key().name()).startsWith("migrate-");
    assertThat(phases).hasSize(2);
    assertThat(phases.get(0).key().name()).isNotEqualTo(phases.get(1).key().name());
    assertThat(first.desired().path("metadata").has("generateName")).isFalse();
    assertThat(
            first
                .desired()
                .path("metadata")
                .path("annotations")
                .path(Tracking.TRACKING_ID)
                .asText())
        .isEqualTo(Tracking.trackingId("shop", first.key()));
    assertThat(
            first
                .desired()
                .path("metadata")
                .path("annotations")
                .path(HookPlanner.OPERATION_ANNOTATION)
                .asText())
        .isEqualTo("op1/PreSync");
  }

  @Test
  void aNamedHookKeepsItsNameAndALongGenerateNameIsCut() {
    PlannedHook named =
        HookPlanner.plan("shop", "op1", List.of(obj("Job", "migrate", HOOK, "PreSync")))
            .all()
            .get(0);
    PlannedHook longName =
        HookPlanner.plan("shop", "op1", List.of(obj("Job", "x".repeat(70) + "-", HOOK, "PreSync")))
            .all()
            .get(0);

    assertThat(named.key().name()).isEqualTo("migrate");
    assertThat(named.generatedName()).isFalse();
    assertThat(longName.key().name()).hasSize(63);
  }

  @Test
  void aHookWithoutNameOrGenerateNameIsRefused() {
    ObjectNode nameless = job(HOOK, "PreSync");
    nameless.with("metadata").remove("name");

    assertThatThrownBy(() -> HookPlanner.plan("shop", "op1", List.of(nameless)))
        .hasMessage("Job hook has neither metadata.name nor generateName");
  }

  record Done(String name, ObjectNode live, Health health, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static ObjectNode withStatus(ObjectNode o, String status) {
    try {
      o.set("status", JSON.readTree(status));
      return o;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Done> completions() {
    return Stream.of(
        new Done("a Job without status runs", job(), Health.HEALTHY, "RUNNING"),
        new Done(
            "a Complete Job succeeded",
            withStatus(job(), "{\"conditions\":[{\"type\":\"Complete\",\"status\":\"True\"}]}"),
            Health.HEALTHY,
            "SUCCEEDED"),
        new Done(
            "a Failed Job failed, with its reason",
            withStatus(
                job(),
                "{\"conditions\":[{\"type\":\"Failed\",\"status\":\"True\","
                    + "\"reason\":\"BackoffLimitExceeded\"}]}"),
            Health.HEALTHY,
            "FAILED Job failed: BackoffLimitExceeded"),
        new Done(
            "a condition that is not True does not count",
            withStatus(job(), "{\"conditions\":[{\"type\":\"Complete\",\"status\":\"False\"}]}"),
            Health.HEALTHY,
            "RUNNING"),
        new Done(
            "a Succeeded Pod",
            withStatus(obj("Pod", "p"), "{\"phase\":\"Succeeded\"}"),
            Health.HEALTHY,
            "SUCCEEDED"),
        new Done(
            "a Failed Pod",
            withStatus(obj("Pod", "p"), "{\"phase\":\"Failed\",\"message\":\"OOMKilled\"}"),
            Health.HEALTHY,
            "FAILED OOMKilled"),
        new Done(
            "a Running Pod, even a healthy one, runs",
            withStatus(obj("Pod", "p"), "{\"phase\":\"Running\"}"),
            Health.HEALTHY,
            "RUNNING"),
        new Done(
            "a healthy ConfigMap succeeded", obj("ConfigMap", "c"), Health.HEALTHY, "SUCCEEDED"),
        new Done(
            "a degraded custom resource failed",
            obj("ConfigMap", "c"),
            Health.degraded("broken"),
            "FAILED broken"),
        new Done(
            "a progressing custom resource runs",
            obj("ConfigMap", "c"),
            Health.progressing("working"),
            "RUNNING"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("completions")
  void judgesCompletion(Done c) {
    HookCompletion done = HookCompletion.of(c.live(), c.health());
    String actual =
        done.state() == HookCompletion.State.FAILED
            ? done.state() + " " + done.message()
            : done.state().name();
    assertThat(actual).isEqualTo(c.expected());
  }
}
