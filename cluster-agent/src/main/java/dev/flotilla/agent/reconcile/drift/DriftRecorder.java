package dev.flotilla.agent.reconcile.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.DesiredState;
import dev.flotilla.agent.reconcile.ReconcileResult;
import dev.flotilla.agent.reconcile.ResourceLine;
import dev.flotilla.agent.reconcile.SyncState;
import dev.flotilla.agent.reconcile.apply.ObjectApplier;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ThreeWayMerge;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.agent.reconcile.plan.SyncPlanner;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what the drift report records, from what the watcher observes and from the end of every
 * reconcile: when an object's entry opens (first observed different on the fields we manage),
 * whether it is drift or a pending sync, and when and by what it closes. Watch events give the
 * exact times; the end of each reconcile re-judges every object its result lists, so that an object
 * the Application's status shows OutOfSync always has an open entry, and one put right by a sync, a
 * resync or a new commit is closed even when no watch event said so.
 *
 * <p>While a reconcile of an Application runs, an object observed equal is only noted (with the
 * time): the end of the reconcile knows whether a sync wrote it and why, and closes it then with
 * that time.
 */
final class DriftRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(DriftRecorder.class);

  private final ApplicationReconciler reconciler;
  private final Clock clock;
  private final DriftLedger ledger;

  /** Whether self-heal was asked to heal this object and that reconcile has not ended. */
  private final BiPredicate<String, ObjectKey> healPending;

  /** Applications whose reconcile has rendered and not ended yet. */
  private final Set<String> reconciling = ConcurrentHashMap.newKeySet();

  /** Applications whose next reconcile is a manual sync. */
  private final Set<String> manualSyncs = ConcurrentHashMap.newKeySet();

  /** Objects observed equal during a reconcile: when, first. */
  private final Map<String, Map<ObjectKey, Instant>> equalSince = new ConcurrentHashMap<>();

  DriftRecorder(
      ApplicationReconciler reconciler,
      DriftListener listener,
      Clock clock,
      BiPredicate<String, ObjectKey> healPending) {
    this.reconciler = reconciler;
    this.clock = clock;
    this.ledger = new DriftLedger(listener);
    this.healPending = healPending;
  }

  DriftLedger ledger() {
    return ledger;
  }

  void reconcileStarted(String application) {
    reconciling.add(application);
  }

  void manualSync(String application) {
    manualSyncs.add(application);
  }

  /**
   * A watch event showed {@code live} (not syncing) differing from Git by {@code ops}.
   *
   * @return whether that is news (an entry opened, or what differs changed)
   */
  boolean observedDifferent(
      AppSpec app,
      ObjectKey key,
      ObjectNode desired,
      ObjectNode live,
      List<ThreeWayMerge.Operation> ops,
      Instant at) {
    forgetEqual(app.name(), key);
    return ledger.differs(
        app.name(),
        key,
        at,
        kind(app, key, desired, live),
        Drift.EDITED,
        DriftFields.of(key, ops, live),
        version(live));
  }

  /** A watch event showed the object deleted. */
  void observedDeleted(String application, ObjectKey key, ObjectNode desired, Instant at) {
    forgetEqual(application, key);
    ledger.differs(
        application,
        key,
        at,
        DriftKind.DRIFT,
        Drift.DELETED,
        List.of(new FieldDiff("", DriftFields.mask(key, "", desired), null)),
        null);
  }

  /**
   * The self-heal of this one object (not of its whole Application) wrote Git's version back at
   * {@code at}: its entry closes, healed by self-heal, whatever watch event comes after.
   */
  void healedAlone(String application, ObjectKey key, Instant at) {
    Map<ObjectKey, Instant> equal = equalSince.get(application);
    if (equal != null) {
      equal.remove(key);
    }
    ledger.equal(application, key, at, HealedBy.SELF_HEAL);
  }

  /**
   * A watch event showed the object equal to Git.
   *
   * @return whether that closed its entry now (rather than at the end of a running reconcile)
   */
  boolean observedEqual(String application, ObjectKey key, Instant at) {
    if (ledger.entry(application, key).isEmpty()) {
      return false;
    }
    if (reconciling.contains(application)
        || reconciler.isSyncing(application)
        || healPending.test(application, key)) {
      // Who made it equal is known at the end of the reconcile; when is known now.
      equalSince.computeIfAbsent(application, a -> new ConcurrentHashMap<>()).putIfAbsent(key, at);
      return false;
    }
    return ledger.equal(application, key, at, HealedBy.MANUAL_REVERT).isPresent();
  }

  /**
   * The end of a reconcile of {@code application}: every object its result lists is judged against
   * the cluster as it is now, and entries of objects no longer listed are closed.
   *
   * @param healing the objects self-heal asked this reconcile to heal
   * @return the objects self-heal was asked to heal that the sync wrote but the server keeps
   *     different (e.g. a value it normalises): their remaining differences
   */
  Map<ObjectKey, List<ThreeWayMerge.Operation>> reconciled(
      String application, boolean applied, ReconcileResult result, Set<ObjectKey> healing) {
    try {
      return judgeAll(application, applied, result, healing);
    } finally {
      // Only now: an object seen equal while this ran was written by it, not by somebody else.
      reconciling.remove(application);
      equalSince.remove(application);
    }
  }

  private Map<ObjectKey, List<ThreeWayMerge.Operation>> judgeAll(
      String application, boolean applied, ReconcileResult result, Set<ObjectKey> healing) {
    boolean finished = !result.inProgress();
    // Only a reconcile that applied is the manual sync; a comparison queued before it is not.
    boolean manual =
        applied && (finished ? manualSyncs.remove(application) : manualSyncs.contains(application));
    Map<ObjectKey, List<ThreeWayMerge.Operation>> stuck = new ConcurrentHashMap<>();
    if (result.failed() && result.resources().isEmpty()) {
      return stuck; // nothing was compared (render failed, cluster unreadable): nothing is known
    }
    Optional<DesiredState> state = reconciler.desiredState(application);
    Cause cause =
        new Cause(
            applied,
            manual,
            healing,
            equalSince.computeIfAbsent(application, a -> new ConcurrentHashMap<>()));
    Set<ObjectKey> listed = new HashSet<>();
    for (ResourceLine line : result.resources()) {
      listed.add(line.key());
      List<ThreeWayMerge.Operation> left = judge(application, line, state, cause);
      if (applied && !result.failed() && healing.contains(line.key()) && !left.isEmpty()) {
        stuck.put(line.key(), left);
      }
    }
    for (ObjectKey key : ledger.openObjects(application)) {
      if (!listed.contains(key)) {
        // Neither in Git nor owned any more: pruned by the sync, or Git no longer has it.
        ledger.equal(
            application,
            key,
            cause.when(key, clock),
            applied ? HealedBy.SYNC : HealedBy.NEW_COMMIT);
      }
    }
    return stuck;
  }

  /** What a reconcile did, to tell who put an object right. */
  private record Cause(
      boolean applied, boolean manual, Set<ObjectKey> healing, Map<ObjectKey, Instant> equal) {

    Instant when(ObjectKey key, Clock clock) {
      Instant seen = equal.get(key);
      return seen != null ? seen : clock.instant();
    }

    HealedBy by(DriftLedger.Entry entry, String liveVersion) {
      if (entry.liveVersion() != null && entry.liveVersion().equals(liveVersion)) {
        return HealedBy.NEW_COMMIT; // nothing wrote the object: Git moved to what is live
      }
      if (applied && manual) {
        return HealedBy.SYNC;
      }
      if (healing.contains(entry.drift().object())) {
        return HealedBy.SELF_HEAL;
      }
      if (applied) {
        return entry.drift().kind() == DriftKind.PENDING_SYNC ? HealedBy.SYNC : HealedBy.RESYNC;
      }
      return HealedBy.MANUAL_REVERT;
    }
  }

  /** Opens, refreshes or closes the entry of one listed object; returns what still differs. */
  private List<ThreeWayMerge.Operation> judge(
      String application, ResourceLine line, Optional<DesiredState> state, Cause cause) {
    ObjectKey key = line.key();
    Optional<DriftLedger.Entry> entry = ledger.entry(application, key);
    if (line.sync() == SyncState.SYNCED && entry.isEmpty()) {
      return List.of();
    }
    ObjectNode desired = state.map(s -> s.objects().get(key)).orElse(null);
    Instant now = clock.instant();
    if (desired == null) {
      // Left to prune, or a render the project refused: out of sync until a sync deals with it.
      ledger.differs(
          application, key, now, DriftKind.PENDING_SYNC, line.message(), List.of(), null);
      return List.of();
    }
    ObjectNode live;
    try {
      live = reconciler.applier().get(key);
    } catch (KubernetesClientException e) {
      LOG.warn("could not read {} to judge its drift: {}", key, e.getMessage());
      return List.of();
    }
    AppSpec app = state.get().app();
    if (live == null) {
      DriftKind kind = entry.map(e -> e.drift().kind()).orElse(DriftKind.PENDING_SYNC);
      String change = entry.map(e -> e.drift().change()).orElse(Drift.MISSING);
      ledger.differs(
          application,
          key,
          now,
          kind,
          change,
          List.of(new FieldDiff("", DriftFields.mask(key, "", desired), null)),
          null);
      return List.of();
    }
    List<ThreeWayMerge.Operation> ops = ApplicationReconciler.differences(app, desired, live);
    String owner = SyncPlanner.ownerOf(live);
    if (owner != null && !owner.equals(application)) {
      // Another Application's object: out of sync until the conflict is settled, not drift.
      ledger.differs(
          application, key, now, DriftKind.PENDING_SYNC, line.message(), List.of(), version(live));
      return List.of();
    }
    if (ops.isEmpty()) {
      entry.ifPresent(
          e -> ledger.equal(application, key, cause.when(key, clock), cause.by(e, version(live))));
      return List.of();
    }
    ledger.differs(
        application,
        key,
        now,
        kind(app, key, desired, live),
        Drift.EDITED,
        DriftFields.of(key, ops, live),
        version(live));
    return ops;
  }

  /**
   * Drift when live moved away from what was last applied; a pending sync when live is still what
   * was applied and Git has moved on since.
   */
  static DriftKind kind(AppSpec app, ObjectKey key, ObjectNode desired, JsonNode live) {
    JsonNode applied = ObjectApplier.lastApplied(live);
    String wanted = annotation(desired);
    if (applied == null || wanted.equals(annotation(live))) {
      return DriftKind.DRIFT;
    }
    boolean secret = key.group().isEmpty() && key.kind().equals("Secret");
    List<ThreeWayMerge.Operation> changed =
        ThreeWayMerge.without(
            ThreeWayMerge.operations(applied, null, live),
            ApplicationReconciler.ignoredPointers(app, key));
    for (ThreeWayMerge.Operation op : changed) {
      // A Secret's record holds digests, not values: its data cannot be compared this way.
      if (!(secret && (op.path().startsWith("/data/") || op.path().startsWith("/stringData/")))) {
        return DriftKind.DRIFT;
      }
    }
    return DriftKind.PENDING_SYNC;
  }

  private static String annotation(JsonNode obj) {
    return obj.path("metadata").path("annotations").path(Tracking.LAST_APPLIED).asText("");
  }

  static String version(JsonNode live) {
    String v = live.path("metadata").path("resourceVersion").asText("");
    return v.isEmpty() ? null : v;
  }

  private void forgetEqual(String application, ObjectKey key) {
    Map<ObjectKey, Instant> equal = equalSince.get(application);
    if (equal != null) {
      equal.remove(key);
    }
  }
}
