package dev.flotilla.agent.reconcile.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What one reconcile of one Application is to do, decided before anything is written.
 *
 * @param decision apply, only compare, or refuse
 * @param refusals why nothing is written, when refused
 * @param waves what to apply, wave by wave in ascending order; empty unless applying
 * @param prune what to prune after the last wave, in prune order (reverse apply order); empty
 *     unless the policy prunes
 * @param pruneLast {@code PruneLast=true}: prune only once every desired object is healthy
 * @param respectIgnoreDifferences {@code RespectIgnoreDifferences=true}: never write ignored fields
 * @param orphans objects this Application owns and no longer renders, as listed (status lines)
 */
public record SyncPlan(
    Decision decision,
    List<Refusal> refusals,
    List<Wave> waves,
    List<PlannedPrune> prune,
    boolean pruneLast,
    boolean respectIgnoreDifferences,
    List<ObjectNode> orphans) {

  /** What the reconcile does. */
  public enum Decision {
    /** Manual sync policy (or an automated sync held back): report differences, write nothing. */
    COMPARE_ONLY,
    /** Apply the waves, then prune. */
    APPLY,
    /** Write nothing and fail: see {@link #refusals()}. */
    REFUSE
  }

  public SyncPlan {
    refusals = List.copyOf(refusals);
    waves = List.copyOf(waves);
    prune = List.copyOf(prune);
    orphans = List.copyOf(orphans);
  }

  /**
   * The refusals as one sentence, for the Application's status: ownership conflicts are a sync
   * error naming every foreign object; the empty-render guard explains itself.
   */
  public String refusalMessage() {
    String reasons = refusals.stream().map(Refusal::reason).collect(Collectors.joining("; "));
    boolean ownership =
        refusals.stream().anyMatch(r -> r.rule() == Refusal.Rule.OWNED_BY_ANOTHER_APPLICATION);
    return ownership ? "sync error: " + reasons : reasons;
  }

  /** The number of objects the plan deletes. */
  public long deletions() {
    return prune.stream().filter(PlannedPrune::deletes).count();
  }
}
