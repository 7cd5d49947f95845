package dev.flotilla.agent.reconcile.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.util.Set;

/**
 * One hook object to run in one phase of one sync operation.
 *
 * @param phase the phase it runs in
 * @param wave its order within the phase
 * @param key the object it is, its name chosen (a {@code generateName} hook gets a fresh name for
 *     each operation)
 * @param desired the object to create, tracking and operation annotations included
 * @param deletePolicies when it is deleted
 * @param generatedName true when its name came from {@code metadata.generateName}
 */
public record PlannedHook(
    HookPhase phase,
    int wave,
    ObjectKey key,
    ObjectNode desired,
    Set<HookDeletePolicy> deletePolicies,
    boolean generatedName) {

  public PlannedHook {
    deletePolicies = Set.copyOf(deletePolicies);
  }

  public boolean deletes(HookDeletePolicy policy) {
    return deletePolicies.contains(policy);
  }

  /** "PreSync hook batch/Job shop/migrate-x2k4q", for messages. */
  public String describe() {
    return phase.label() + " hook " + key;
  }
}
