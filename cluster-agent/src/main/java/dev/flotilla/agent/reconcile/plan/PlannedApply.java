package dev.flotilla.agent.reconcile.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import java.util.List;

/**
 * One object to make live look like desired.
 *
 * @param key which object
 * @param desired the object as prepared for apply (tracking annotations included)
 * @param mode how to write it, from the Application's and the object's own sync options
 * @param ignoredPointers the JSON pointers {@code ignoreDifferences} excludes for this object
 */
public record PlannedApply(
    ObjectKey key, ObjectNode desired, ApplyMode mode, List<String> ignoredPointers) {

  public PlannedApply {
    ignoredPointers = List.copyOf(ignoredPointers);
  }
}
