package dev.flotilla.agent.reconcile.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.util.Optional;

/**
 * One object this Application owns and no longer renders, in prune order.
 *
 * @param key which object
 * @param live the object as read from the cluster
 * @param keptBecause why it must stay ({@code Prune=false}); empty when it is to be deleted
 */
public record PlannedPrune(ObjectKey key, ObjectNode live, Optional<String> keptBecause) {

  /** True when the plan deletes this object. */
  public boolean deletes() {
    return keptBecause.isEmpty();
  }
}
