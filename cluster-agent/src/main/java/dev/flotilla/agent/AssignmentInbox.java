package dev.flotilla.agent;

import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.RepositoryCredentials;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the control plane asked of this agent, turned into work for the reconcile queue: assignments
 * to hold (persisted in the {@link AssignmentStore}), removals to carry out, one-off manual syncs.
 * Called on gRPC threads, so it only records and enqueues; the reconcile does the work.
 */
final class AssignmentInbox {

  private final AssignmentStore store;
  private final ReconcileQueue queue;
  private final ReceivedCredentials credentials;

  /** Applications unassigned but not yet cleaned up, with whether their resources go too. */
  private final Map<String, Boolean> pendingRemovals = new ConcurrentHashMap<>();

  /** One-off manual syncs: application -> revision to sync to (empty: the assigned one). */
  private final Map<String, String> manualSyncs = new ConcurrentHashMap<>();

  /** Manual syncs asked to prune for that sync alone ({@code argocd app sync --prune}). */
  private final Set<String> manualPrunes = ConcurrentHashMap.newKeySet();

  /** Applications to fetch and render anew at their next reconcile, reusing no cache. */
  private final Set<String> hardRefreshes = ConcurrentHashMap.newKeySet();

  /** Applications whose running sync operation is to be stopped. */
  private final Set<String> terminations = ConcurrentHashMap.newKeySet();

  AssignmentInbox(AssignmentStore store, ReconcileQueue queue, ReceivedCredentials credentials) {
    this.store = store;
    this.queue = queue;
    this.credentials = credentials;
  }

  /**
   * The Git credentials the agent's repositories need now (memory only); when they changed, every
   * assignment is reconciled, so one that could not fetch without them tries again at once.
   */
  void replaceCredentials(RepositoryCredentials received) {
    if (credentials.replace(received)) {
      reconcileAll();
    }
  }

  /** A new or changed assignment: reconciled when it differs from what the agent holds. */
  void upsert(Assignment a) {
    pendingRemovals.remove(a.getName());
    if (store.upsert(a)) {
      queue.submit(a.getName());
    }
  }

  /** An assignment withdrawn; its resources are deleted too when {@code pruneResources}. */
  void delete(String application, boolean pruneResources) {
    store
        .remove(application)
        .ifPresent(
            gone -> {
              pendingRemovals.put(application, pruneResources);
              queue.submit(application);
            });
  }

  /**
   * Replaces the assignments with a complete snapshot, all at once. An Application missing from it
   * is removed, its resources kept when the control plane holds it back (e.g. its project is
   * unreadable) rather than withdrew it.
   */
  void replaceAll(List<Assignment> snapshot, Set<String> heldBack) {
    for (Assignment gone : store.replaceAll(snapshot)) {
      pendingRemovals.put(
          gone.getName(), !heldBack.contains(gone.getName()) && gone.getDeleteResourcesOnRemoval());
      queue.submit(gone.getName());
    }
    for (Assignment a : snapshot) {
      queue.submit(a.getName());
    }
  }

  /**
   * A sync (to {@code revision}, empty for the assigned one) or, when refresh only, a look; {@code
   * hard}: its Git repository is fetched and its chart downloaded again first; {@code prune}: the
   * sync prunes even when the policy does not.
   */
  void requestSync(
      String application, String revision, boolean refreshOnly, boolean hard, boolean prune) {
    if (!refreshOnly) {
      // The latest request decides whether the sync prunes, as it decides the revision.
      if (prune) {
        manualPrunes.add(application);
      } else {
        manualPrunes.remove(application);
      }
      manualSyncs.put(application, revision);
    }
    if (hard) {
      hardRefreshes.add(application);
    }
    queue.submit(application);
  }

  /** Whether a hard refresh was requested for {@code application}, taken. */
  boolean takeHardRefresh(String application) {
    return hardRefreshes.remove(application);
  }

  /**
   * Stop the running sync operation (retrying or waiting): reconciled now, not after its backoff. A
   * manual sync waiting to be carried out is dropped with it.
   */
  void requestTermination(String application) {
    terminations.add(application);
    manualSyncs.remove(application);
    manualPrunes.remove(application);
    queue.submit(application);
  }

  /** Whether a termination was requested for {@code application}, taken. */
  boolean takeTermination(String application) {
    return terminations.remove(application);
  }

  /** Every assignment held goes through the queue again (start-up and periodic resync). */
  void reconcileAll() {
    store.all().forEach(a -> queue.submit(a.getName()));
  }

  Optional<Assignment> assignment(String application) {
    return store.get(application);
  }

  /** The removal waiting for {@code application}, taken: whether its resources go too. */
  Optional<Boolean> takeRemoval(String application) {
    return Optional.ofNullable(pendingRemovals.remove(application));
  }

  /** The manual sync waiting for {@code application}, taken; null when none was requested. */
  String takeManualSync(String application) {
    return manualSyncs.remove(application);
  }

  /** Whether the manual sync just taken for {@code application} prunes; taken with it. */
  boolean takeManualPrune(String application) {
    return manualPrunes.remove(application);
  }

  /** A manual sync that waits or retries is still a manual sync when it comes back. */
  void keepManualSync(String application, String revision, boolean prune) {
    if (manualSyncs.putIfAbsent(application, revision) == null && prune) {
      manualPrunes.add(application);
    }
  }
}
