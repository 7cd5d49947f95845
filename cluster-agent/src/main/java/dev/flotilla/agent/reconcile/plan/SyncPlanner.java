package dev.flotilla.agent.reconcile.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.SyncOptions;
import dev.flotilla.agent.reconcile.SyncOrder;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.Tracking;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sync decisions, apart from the cluster: given what was rendered, what is live and the
 * Application's policy, says what to apply (wave by wave, in which mode), what to prune (in which
 * order), what to keep, or why to write nothing at all. Pure: no client, no clock, no I/O, so every
 * rule has a table test that runs in milliseconds ({@code SyncPlannerTest}).
 *
 * <p>The rules, in the order they are applied:
 *
 * <ol>
 *   <li>Not applying (manual policy, automated sync held back): compare only.
 *   <li>A desired object that is live and tracked by another Application refuses the whole sync
 *       before anything is written (an untracked object is adopted, as Argo CD does).
 *   <li>An empty render while the Application owns objects refuses when the policy prunes, unless
 *       {@code allowEmpty}: never prune everything because a render came back empty.
 *   <li>Waves ascend ({@code sync-wave}, default 0); within a wave Argo CD's kind order, then
 *       namespace and name. {@code Replace=true} / {@code ServerSideApply=true} choose the mode, an
 *       object's own annotation overriding the Application's options either way.
 *   <li>Prune only with {@code prune: true}, only what this Application tracks and no longer
 *       renders, in reverse apply order; {@code Prune=false} keeps an object; hook objects are
 *       never pruned (their delete policy removes them, see {@link HookPlanner}).
 * </ol>
 */
public final class SyncPlanner {

  private static final Comparator<JsonNode> PRUNE_ORDER =
      Comparator.<JsonNode>comparingInt(SyncOrder::waveOrZero)
          .reversed()
          .thenComparing(SyncOrder.WITHIN_WAVE.reversed());

  private SyncPlanner() {}

  public static SyncPlan plan(SyncRequest request) {
    AppSpec app = request.app();
    AppSpec.SyncPolicy policy = app.syncPolicy();
    List<ObjectNode> orphans = orphans(request);
    boolean respectIgnored = policy.syncOptions().isTrue("RespectIgnoreDifferences");
    if (!request.apply()) {
      return new SyncPlan(
          SyncPlan.Decision.COMPARE_ONLY, List.of(), List.of(), List.of(), false, false, orphans);
    }
    List<Refusal> refusals = ownershipConflicts(request);
    if (refusals.isEmpty()
        && request.desired().isEmpty()
        && !orphans.isEmpty()
        && policy.prune()
        && !policy.allowEmpty()) {
      refusals =
          List.of(
              new Refusal(
                  Refusal.Rule.EMPTY_RENDER,
                  Optional.empty(),
                  "render yielded no objects; refusing to prune the "
                      + orphans.size()
                      + " objects this application owns"
                      + " (set syncPolicy.automated.allowEmpty to allow)"));
    }
    if (!refusals.isEmpty()) {
      return new SyncPlan(
          SyncPlan.Decision.REFUSE, refusals, List.of(), List.of(), false, false, orphans);
    }
    return new SyncPlan(
        SyncPlan.Decision.APPLY,
        List.of(),
        waves(request),
        policy.prune() ? pruneOrder(orphans) : List.of(),
        policy.prune() && policy.syncOptions().pruneLast() && !request.desired().isEmpty(),
        respectIgnored,
        orphans);
  }

  /** Objects this Application tracks that it no longer renders, as listed; hooks excepted. */
  private static List<ObjectNode> orphans(SyncRequest request) {
    String name = request.app().name();
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode obj : request.owned()) {
      // A hook object is the record of a hook run, not a resource: never pruned as one.
      if (name.equals(ownerOf(obj))
          && !HookAnnotations.isHook(obj)
          && !request.desired().containsKey(ObjectKey.of(obj))) {
        out.add(obj);
      }
    }
    return out;
  }

  private static List<Refusal> ownershipConflicts(SyncRequest request) {
    String name = request.app().name();
    List<Refusal> out = new ArrayList<>();
    for (ObjectKey key : request.desired().keySet()) {
      ObjectNode live = request.live().get(key);
      String owner = live == null ? null : ownerOf(live);
      if (owner != null && !owner.equals(name)) {
        out.add(
            new Refusal(
                Refusal.Rule.OWNED_BY_ANOTHER_APPLICATION,
                Optional.of(key),
                key + " is owned by application '" + owner + "', not '" + name + "'"));
      }
    }
    return out;
  }

  private static List<Wave> waves(SyncRequest request) {
    TreeMap<Integer, List<ObjectNode>> byWave = new TreeMap<>();
    for (ObjectNode obj : request.desired().values()) {
      byWave.computeIfAbsent(SyncOrder.wave(obj), w -> new ArrayList<>()).add(obj);
    }
    SyncOptions appOptions = request.app().syncPolicy().syncOptions();
    List<Wave> waves = new ArrayList<>();
    for (Map.Entry<Integer, List<ObjectNode>> wave : byWave.entrySet()) {
      List<ObjectNode> objects = new ArrayList<>(wave.getValue());
      objects.sort(SyncOrder.WITHIN_WAVE);
      List<PlannedApply> steps = new ArrayList<>();
      for (ObjectNode obj : objects) {
        ObjectKey key = ObjectKey.of(obj);
        steps.add(
            new PlannedApply(
                key, obj, modeFor(obj, appOptions), ignoredPointers(request.app(), key)));
      }
      waves.add(new Wave(wave.getKey(), steps));
    }
    return waves;
  }

  private static List<PlannedPrune> pruneOrder(List<ObjectNode> orphans) {
    List<ObjectNode> sorted = new ArrayList<>(orphans);
    sorted.sort(PRUNE_ORDER);
    List<PlannedPrune> out = new ArrayList<>();
    for (ObjectNode orphan : sorted) {
      boolean keep = syncOptionsOf(orphan).isFalse("Prune");
      out.add(
          new PlannedPrune(
              ObjectKey.of(orphan),
              orphan,
              keep ? Optional.of("ignored for pruning (Prune=false)") : Optional.empty()));
    }
    return out;
  }

  /**
   * What unassigning an Application with {@code prune_resources} deletes: everything it owns, in
   * reverse apply order within a wave, except what {@code Delete=false} keeps.
   */
  public static List<PlannedPrune> planDeletion(List<ObjectNode> owned) {
    List<ObjectNode> sorted = new ArrayList<>(owned);
    sorted.sort(SyncOrder.WITHIN_WAVE.reversed());
    List<PlannedPrune> out = new ArrayList<>();
    for (ObjectNode live : sorted) {
      boolean keep = syncOptionsOf(live).isFalse("Delete");
      out.add(
          new PlannedPrune(
              ObjectKey.of(live),
              live,
              keep ? Optional.of("kept: Delete=false") : Optional.empty()));
    }
    return out;
  }

  /** The object's own sync option wins over the Application's, in either direction. */
  public static ApplyMode modeFor(JsonNode obj, SyncOptions appOptions) {
    SyncOptions own = syncOptionsOf(obj);
    if (own.replace() || (appOptions.replace() && !own.isFalse("Replace"))) {
      return ApplyMode.REPLACE;
    }
    if (own.serverSideApply()
        || (appOptions.serverSideApply() && !own.isFalse("ServerSideApply"))) {
      return ApplyMode.SERVER_SIDE;
    }
    return ApplyMode.PATCH;
  }

  /** The JSON pointers {@code ignoreDifferences} excludes for one object. */
  public static List<String> ignoredPointers(AppSpec app, ObjectKey key) {
    List<String> out = new ArrayList<>();
    for (AppSpec.IgnoreDifference d : app.ignoreDifferences()) {
      if (d.matches(key.group(), key.kind(), key.namespace(), key.name())) {
        out.addAll(d.jsonPointers());
      }
    }
    return out;
  }

  /** The Application named by an object's tracking annotation, or null when none is. */
  public static String ownerOf(JsonNode live) {
    return Tracking.owner(
        live.path("metadata").path("annotations").path(Tracking.TRACKING_ID).asText(null));
  }

  /** The object's own {@value SyncOptions#ANNOTATION}. */
  public static SyncOptions syncOptionsOf(JsonNode obj) {
    return SyncOptions.fromAnnotation(
        obj.path("metadata").path("annotations").path(SyncOptions.ANNOTATION).asText(""));
  }
}
