package dev.flotilla.agent.reconcile.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.agent.reconcile.SyncOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads Argo CD's hook annotations, and Helm's where Argo CD's are absent, the way Argo CD maps
 * them (gitops-engine's {@code hook} and {@code hook/helm} packages):
 *
 * <ul>
 *   <li>{@value #HOOK}: a comma-separated list of PreSync, Sync, PostSync, SyncFail, Skip. Skip
 *       alone means never applied; with other phases it is ignored. PreDelete and PostDelete are
 *       hooks no sync runs. Any other value is an error naming the object (Argo CD ignores it
 *       silently, which leaves a migration running at the wrong time).
 *   <li>{@value #HELM_HOOK}, only when {@value #HOOK} is absent: pre-install and pre-upgrade are
 *       PreSync, post-install and post-upgrade PostSync; crd-install alone is an ordinary resource;
 *       test, delete and rollback hooks are never applied by a sync.
 *   <li>Order: {@code argocd.argoproj.io/sync-wave}, else {@value #HELM_WEIGHT} (0 when it is not
 *       an integer, as Helm and Argo CD read it).
 *   <li>{@value #DELETE_POLICY} and {@value #HELM_DELETE_POLICY} together; none means
 *       BeforeHookCreation. An unknown Argo CD policy is an error; an unknown Helm one is ignored.
 * </ul>
 */
public final class HookAnnotations {

  public static final String HOOK = "argocd.argoproj.io/hook";
  public static final String DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy";
  public static final String HELM_HOOK = "helm.sh/hook";
  public static final String HELM_WEIGHT = "helm.sh/hook-weight";
  public static final String HELM_DELETE_POLICY = "helm.sh/hook-delete-policy";

  private static final Set<String> NOT_RUN_ARGO = Set.of("PreDelete", "PostDelete");

  private HookAnnotations() {}

  /**
   * What {@code obj} is to a sync.
   *
   * @throws IllegalArgumentException naming the object, the annotation and the value, when an Argo
   *     CD hook annotation holds a value Argo CD does not define
   */
  public static HookSpec classify(JsonNode obj) {
    JsonNode annotations = obj.path("metadata").path("annotations");
    if (annotations.has(HOOK)) {
      return argoHook(obj, annotations);
    }
    if (annotations.has(HELM_HOOK)) {
      return helmHook(obj, annotations);
    }
    return HookSpec.RESOURCE;
  }

  /** True when a live object was applied as a hook: it is never pruned or compared. */
  public static boolean isHook(JsonNode live) {
    try {
      HookSpec spec = classify(live);
      return spec.role() == HookSpec.Role.HOOK || spec.role() == HookSpec.Role.NOT_RUN;
    } catch (IllegalArgumentException e) {
      return true; // we never apply such an object, but it carries a hook annotation
    }
  }

  private static HookSpec argoHook(JsonNode obj, JsonNode annotations) {
    List<String> values = csv(annotations.path(HOOK).asText(""));
    Set<HookPhase> phases = EnumSet.noneOf(HookPhase.class);
    boolean skip = false;
    List<String> notRun = new ArrayList<>();
    for (String v : values) {
      if (v.equals("Skip")) {
        skip = true;
      } else if (NOT_RUN_ARGO.contains(v)) {
        notRun.add(v);
      } else {
        phases.add(
            HookPhase.fromLabel(v)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            HOOK
                                + " of "
                                + describe(obj)
                                + " is '"
                                + v
                                + "'; expected a comma-separated list of PreSync, Sync,"
                                + " PostSync, SyncFail, Skip, PreDelete, PostDelete")));
      }
    }
    if (skip && values.size() == 1) {
      return new HookSpec(HookSpec.Role.SKIP, Set.of(), 0, Set.of(), HOOK + ": Skip");
    }
    if (phases.isEmpty()) {
      return new HookSpec(
          HookSpec.Role.NOT_RUN,
          Set.of(),
          0,
          Set.of(),
          values.isEmpty()
              ? HOOK + " is empty"
              : HOOK + ": " + String.join(",", notRun) + " (not run by a sync)");
    }
    return new HookSpec(
        HookSpec.Role.HOOK, phases, wave(obj, annotations), deletePolicies(obj, annotations), "");
  }

  private static HookSpec helmHook(JsonNode obj, JsonNode annotations) {
    List<String> values = csv(annotations.path(HELM_HOOK).asText(""));
    if (values.equals(List.of("crd-install"))) {
      return HookSpec.RESOURCE; // Helm calls it a hook, but it is a CRD to install first
    }
    Set<HookPhase> phases = EnumSet.noneOf(HookPhase.class);
    for (String v : values) {
      switch (v) {
        case "pre-install", "pre-upgrade" -> phases.add(HookPhase.PRE_SYNC);
        case "post-install", "post-upgrade" -> phases.add(HookPhase.POST_SYNC);
        default -> {
          // test, test-success, pre-delete, post-rollback, ...: not a sync event
        }
      }
    }
    if (phases.isEmpty()) {
      return new HookSpec(
          HookSpec.Role.NOT_RUN,
          Set.of(),
          0,
          Set.of(),
          HELM_HOOK + ": " + String.join(",", values) + " (not run by a sync)");
    }
    return new HookSpec(
        HookSpec.Role.HOOK, phases, wave(obj, annotations), deletePolicies(obj, annotations), "");
  }

  private static int wave(JsonNode obj, JsonNode annotations) {
    if (annotations.has(SyncOrder.WAVE_ANNOTATION)) {
      return SyncOrder.wave(obj);
    }
    try {
      return Integer.parseInt(annotations.path(HELM_WEIGHT).asText("0").trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Set<HookDeletePolicy> deletePolicies(JsonNode obj, JsonNode annotations) {
    Set<HookDeletePolicy> out = EnumSet.noneOf(HookDeletePolicy.class);
    for (String v : csv(annotations.path(DELETE_POLICY).asText(""))) {
      HookDeletePolicy policy = null;
      for (HookDeletePolicy p : HookDeletePolicy.values()) {
        if (p.argoName().equals(v)) {
          policy = p;
        }
      }
      if (policy == null) {
        throw new IllegalArgumentException(
            DELETE_POLICY
                + " of "
                + describe(obj)
                + " is '"
                + v
                + "'; expected a comma-separated list of HookSucceeded, HookFailed,"
                + " BeforeHookCreation");
      }
      out.add(policy);
    }
    for (String v : csv(annotations.path(HELM_DELETE_POLICY).asText(""))) {
      for (HookDeletePolicy p : HookDeletePolicy.values()) {
        if (p.helmName().equals(v)) {
          out.add(p);
        }
      }
    }
    if (out.isEmpty()) {
      out.add(HookDeletePolicy.BEFORE_HOOK_CREATION);
    }
    return out;
  }

  private static List<String> csv(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  static String describe(JsonNode obj) {
    JsonNode meta = obj.path("metadata");
    String name = meta.path("name").asText("");
    return obj.path("kind").asText()
        + " "
        + (name.isEmpty() ? meta.path("generateName").asText("") + "*" : name);
  }
}
