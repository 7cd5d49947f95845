/**
 * The cluster agent's reconcile engine: makes one cluster look like Git for each Application.
 *
 * <h2>Use</h2>
 *
 * <pre>{@code
 * ApplicationReconciler reconciler = new ApplicationReconciler(client, ReconcilerOptions.defaults());
 * DriftWatcher watcher =
 *     new DriftWatcher(reconciler, drift -> send(drift.toProto()), queue::submit).start();
 * ReconcileResult r = reconciler.reconcile(AppSpec.parse(name, project, specJson), checkout, sha, apply);
 * reconciler.deleteOwnedResources(name); // unassigned with prune_resources=true
 * reconciler.forget(name);               // unassigned with prune_resources=false
 * }</pre>
 *
 * <p>All calls block on I/O (never on a timer); call them from worker threads, at most one at a
 * time per Application.
 *
 * <h2>Steps</h2>
 *
 * <p>{@code ApplicationReconciler} reads as a chain of named steps ({@code ReconcileStep}); the
 * checkout is the caller's.
 *
 * <ol>
 *   <li>render ({@code render}): plain directory, Helm (in-process) or Kustomize, within size
 *       limits, never outside the repository; then prepare ({@code DesiredStatePreparer}):
 *       namespace defaulting, tracking labels and annotations ({@link
 *       dev.flotilla.agent.reconcile.apply.Tracking}), last-applied record;
 *   <li>project check ({@code ProjectResourceCheck}): every object must be a kind the Application's
 *       AppProject permits (the assignment's resource rules), or the sync is refused before any
 *       write and self-heal stops for the Application;
 *   <li>plan ({@link dev.flotilla.agent.reconcile.plan.SyncPlanner}, pure and table-tested): read
 *       what is live and what the Application owns ({@code ClusterView}), then decide compare-only
 *       or apply, ownership refusals, the empty-render guard, waves and their order, the mode of
 *       each object, and the prune set and order;
 *   <li>apply wave by wave ({@code SyncExecutor}, {@link dev.flotilla.agent.reconcile.SyncOrder})
 *       with the three-way merge ({@code apply}), the objects of one kind in a wave concurrently
 *       ({@code WaveWriter}, a bounded pool shared by every sync); a wave not yet healthy ({@code
 *       health}) ends the reconcile with "come back after T" ({@link
 *       ReconcileResult#requeueAfter()}), never a sleep;
 *   <li>resource hooks ({@code SyncPhases}, {@code hooks}, planned by {@link
 *       dev.flotilla.agent.reconcile.plan.HookPlanner}): PreSync before the first wave, each wave's
 *       Sync hooks after it, PostSync once healthy, SyncFail on failure; the operation's progress
 *       is kept between reconciles and every wait is a requeue;
 *   <li>prune what this Application owns and no longer renders, when the policy allows;
 *   <li>report: a {@link ReconcileResult} (counts, errors, wave state, one line per object) in the
 *       engine's own types; {@link ReconcileStatusMapper} is the only bridge to the protocol;
 *   <li>a failed sync under {@code syncPolicy.retry} also comes back after its backoff, as a whole
 *       new reconcile of the newest desired state ({@code SyncRetries});
 *   <li>drift ({@code drift}): informers compare every change with the desired state; self-heal
 *       asks the caller's queue for a reconcile of the whole Application.
 * </ol>
 */
package dev.flotilla.agent.reconcile;
