package dev.flotilla.agent.reconcile.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.SyncOrder;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.core.digest.Digests;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plans the hooks of one sync operation, apart from the cluster: which phase and wave each hook
 * runs in (see {@link HookAnnotations}), in which order (wave, then Argo CD's kind order, then
 * namespace and name), and under which name. Pure: the operation's id is an input, so that the same
 * operation always plans the same names and a reconcile that comes back finds its hooks again.
 *
 * <p>A hook with {@code metadata.generateName} is named {@code generateName} plus five characters
 * derived from the operation, the phase and the generateName: a fresh object for every operation
 * (the way Kubernetes' own generateName does, but stable while the operation lasts). A named hook
 * keeps its name; {@code BeforeHookCreation} (the default) replaces the previous object of that
 * name.
 */
public final class HookPlanner {

  /**
   * Marks a hook object with the operation and phase that created it ({@code <operation>/<phase>}),
   * to tell it from an older object of the same name.
   */
  public static final String OPERATION_ANNOTATION = "flotilla.dev/hook-operation";

  /** Kubernetes keeps generated names within the 63 characters of a label value. */
  private static final int MAX_GENERATE_NAME = 58;

  private HookPlanner() {}

  /**
   * @param application the Application the hooks belong to (their tracking annotation)
   * @param operationId the sync operation they are run for
   * @param hooks the hook manifests, prepared (namespace defaulted, tracking labels set)
   * @throws IllegalArgumentException when a manifest is not a hook, or has neither a name nor a
   *     generateName
   */
  public static HookPlan plan(String application, String operationId, List<ObjectNode> hooks) {
    Map<HookPhase, TreeMap<Integer, List<PlannedHook>>> byPhase = new EnumMap<>(HookPhase.class);
    for (ObjectNode hook : hooks) {
      HookSpec spec = HookAnnotations.classify(hook);
      if (!spec.isHook()) {
        throw new IllegalArgumentException(HookAnnotations.describe(hook) + " is not a hook");
      }
      for (HookPhase phase : spec.phases()) {
        PlannedHook planned = named(application, operationId, phase, spec, hook);
        byPhase
            .computeIfAbsent(phase, p -> new TreeMap<>())
            .computeIfAbsent(spec.wave(), w -> new ArrayList<>())
            .add(planned);
      }
    }
    Map<HookPhase, List<HookWave>> phases = new EnumMap<>(HookPhase.class);
    byPhase.forEach(
        (phase, waves) -> {
          List<HookWave> list = new ArrayList<>();
          waves.forEach(
              (number, planned) -> {
                List<PlannedHook> sorted = new ArrayList<>(planned);
                sorted.sort((a, b) -> SyncOrder.WITHIN_WAVE.compare(a.desired(), b.desired()));
                list.add(new HookWave(number, sorted));
              });
          phases.put(phase, list);
        });
    return new HookPlan(operationId, phases);
  }

  /** The name a generateName hook gets in one operation's phase. */
  public static String generatedName(String generateName, String operationId, HookPhase phase) {
    String base =
        generateName.length() > MAX_GENERATE_NAME
            ? generateName.substring(0, MAX_GENERATE_NAME)
            : generateName;
    String suffix =
        Digests.sha256Hex(operationId + "/" + phase.label() + "/" + generateName, 3)
            .substring(0, 5);
    return base + suffix;
  }

  private static PlannedHook named(
      String application, String operationId, HookPhase phase, HookSpec spec, ObjectNode hook) {
    ObjectNode obj = hook.deepCopy();
    ObjectNode meta = obj.with("metadata");
    String name = meta.path("name").asText("");
    String generateName = meta.path("generateName").asText("");
    boolean generated = name.isEmpty();
    if (generated) {
      if (generateName.isEmpty()) {
        throw new IllegalArgumentException(
            obj.path("kind").asText() + " hook has neither metadata.name nor generateName");
      }
      meta.put("name", generatedName(generateName, operationId, phase));
    }
    meta.remove("generateName");
    ObjectKey key = ObjectKey.of(obj);
    ObjectNode annotations = meta.with("annotations");
    annotations.remove(Tracking.LAST_APPLIED);
    annotations.put(Tracking.TRACKING_ID, Tracking.trackingId(application, key));
    annotations.put(OPERATION_ANNOTATION, operationId + "/" + phase.label());
    return new PlannedHook(phase, spec.wave(), key, obj, spec.deletePolicies(), generated);
  }
}
