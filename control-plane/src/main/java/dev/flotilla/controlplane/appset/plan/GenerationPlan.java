package dev.flotilla.controlplane.appset.plan;

import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.generators.GenerationError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one generation wants changed, decided by {@link GenerationPlanner}.
 *
 * @param upserts Applications to create or replace, in generation order
 * @param deletes names of owned Applications to delete
 * @param kept names of owned Applications the generation did not produce and that are kept anyway
 *     (generation errors, a policy that never deletes, an empty result)
 * @param errors refusals and failures, each naming where; any error means nothing is deleted
 * @param notes what was deliberately left alone and why, for people
 * @param generated how many Applications the generators produced
 * @param affectedClusters the clusters whose agents must hear of the changes, sorted
 * @param requeueAfter how soon to generate again, when a generator asked for it
 * @param warnings what the generators ignored on purpose (as Argo CD does), each naming where
 */
public record GenerationPlan(
    List<StoredApplication> upserts,
    List<String> deletes,
    List<String> kept,
    List<GenerationError> errors,
    List<String> notes,
    int generated,
    Set<String> affectedClusters,
    Optional<Duration> requeueAfter,
    List<GenerationError> warnings) {

  static final String OWNED_ELSEWHERE =
      "an Application of that name already exists and belongs to another ApplicationSet; it was"
          + " left unchanged";

  public GenerationPlan {
    upserts = List.copyOf(upserts);
    deletes = List.copyOf(deletes);
    kept = List.copyOf(kept);
    errors = List.copyOf(errors);
    notes = List.copyOf(notes);
    affectedClusters = Collections.unmodifiableSortedSet(new TreeSet<>(affectedClusters));
    warnings = List.copyOf(warnings);
  }

  public GenerationPlan(
      List<StoredApplication> upserts,
      List<String> deletes,
      List<String> kept,
      List<GenerationError> errors,
      List<String> notes,
      int generated,
      Set<String> affectedClusters,
      Optional<Duration> requeueAfter) {
    this(
        upserts,
        deletes,
        kept,
        errors,
        notes,
        generated,
        affectedClusters,
        requeueAfter,
        List.of());
  }

  /** Whether carrying the plan out changes nothing stored. */
  public boolean changesNothing() {
    return upserts.isEmpty() && deletes.isEmpty();
  }

  /**
   * This plan without the upserts of Applications that another ApplicationSet owns (names are
   * global): each becomes an error and the other set's Application is left unchanged. Read inside
   * the transaction that stores the plan, so two sets generating one name cannot both win.
   */
  public GenerationPlan withoutOwnedElsewhere(Collection<String> ownedElsewhere) {
    if (upserts.stream().noneMatch(a -> ownedElsewhere.contains(a.name()))) {
      return this;
    }
    List<StoredApplication> mine = new ArrayList<>();
    List<GenerationError> refused = new ArrayList<>(errors);
    for (StoredApplication a : upserts) {
      if (ownedElsewhere.contains(a.name())) {
        refused.add(new GenerationError("Application " + a.name(), OWNED_ELSEWHERE));
      } else {
        mine.add(a);
      }
    }
    return new GenerationPlan(
        mine, deletes, kept, refused, notes, generated, affectedClusters, requeueAfter, warnings);
  }
}
