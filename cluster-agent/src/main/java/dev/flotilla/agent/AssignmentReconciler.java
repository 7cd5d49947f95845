package dev.flotilla.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.metrics.AgentMetrics;
import dev.flotilla.agent.proxy.ResourceTrees;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.ReconcileResult;
import dev.flotilla.agent.reconcile.ReconcileStatusMapper;
import dev.flotilla.agent.reconcile.drift.DriftWatcher;
import dev.flotilla.agent.reconcile.health.HealthState;
import dev.flotilla.agent.reconcile.source.SourceCheckout;
import dev.flotilla.agent.reconcile.source.SourceFetcher;
import dev.flotilla.agent.reconcile.source.SourceRevisions;
import dev.flotilla.git.GitCache;
import dev.flotilla.git.GitFetchException;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.render.chart.ChartFetchException;
import dev.flotilla.render.chart.ChartFetcher;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile queue's task: one assigned Application, from its assignment to its reported status.
 * Reads as its steps: let go of an unassigned Application, or check out the wanted revision, decide
 * whether to apply, run the reconciler, remember what was applied, report, and say when to come
 * back. Runs on a reconcile worker, never on a gRPC thread, and never waits.
 */
final class AssignmentReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(AssignmentReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Rollouts finish on their own time: look again soon rather than at the next resync. */
  static final Duration PROGRESSING_RECHECK = Duration.ofSeconds(2);

  private final AssignmentInbox inbox;
  private final SourceFetcher sources;
  private final ApplicationReconciler reconciler;
  private final DriftWatcher driftWatcher;
  private final StatusReporter statusReporter;
  private final ApplicationStatuses statuses;
  private final AgentMetrics metrics;
  private final ResourceTrees trees;

  /**
   * Application -> "generation@sha" last applied, so automated sync without selfHeal applies once.
   */
  private final Map<String, String> lastApplied = new ConcurrentHashMap<>();

  /**
   * Application -> "generation@sha" whose operation was terminated: the sync policy (self-heal
   * included) leaves that target alone; a newer one, or a requested sync, applies again.
   */
  private final Map<String, String> terminated = new ConcurrentHashMap<>();

  AssignmentReconciler(
      AssignmentInbox inbox,
      GitCache git,
      ChartFetcher charts,
      ApplicationReconciler reconciler,
      DriftWatcher driftWatcher,
      StatusReporter statusReporter,
      ApplicationStatuses statuses,
      AgentMetrics metrics) {
    this.metrics = metrics;
    this.trees = new ResourceTrees(reconciler);
    this.inbox = inbox;
    this.sources = new SourceFetcher(git, charts);
    this.reconciler = reconciler;
    this.driftWatcher = driftWatcher;
    this.statusReporter = statusReporter;
    this.statuses = statuses;
  }

  /**
   * Returns when to reconcile the Application again (a retry backoff, a wave or rollout), if ever.
   */
  Optional<Duration> reconcile(String application) {
    Optional<Assignment> assignment = inbox.assignment(application);
    if (assignment.isEmpty()) {
      inbox
          .takeRemoval(application)
          .ifPresent(deleteResources -> letGo(application, deleteResources));
      return Optional.empty();
    }
    Assignment a = assignment.get();
    if (inbox.takeTermination(application)) {
      terminate(a);
    }
    String manualRevision = inbox.takeManualSync(application);
    boolean prune = inbox.takeManualPrune(application) && manualRevision != null;
    boolean hard = inbox.takeHardRefresh(application);
    long started = System.nanoTime();
    JsonNode spec = null;
    try {
      spec = JSON.readTree(a.getSpecJson());
      AppSpec app = prune ? appSpec(a).withPruneThisSync() : appSpec(a);
      List<SourceCheckout> checkouts =
          sources.fetch(app, wantedRevisions(a, app, manualRevision), hard);
      String revision = SourceFetcher.revision(app, checkouts);
      String target = a.getGeneration() + "@" + revision;
      ApplyDecision decision = decide(a, spec, manualRevision, target);
      if (manualRevision != null) {
        reconciler.manualSyncRequested(application); // a manual sync runs hooks, as in Argo CD

        driftWatcher.manualSync(application); // what it puts right is recorded as healed by sync
      }
      ReconcileResult result =
          reconciler.reconcile(app, checkouts, revision, decision.apply(), manualRevision != null);
      remember(a, decision, manualRevision, prune, target, result);
      ApplicationStatus.Builder status = status(a, revision, result, decision, manualRevision);
      if (app.isMultiSource()) {
        checkouts.forEach(c -> status.addSourceRevisions(c.revision()));
      }
      // A multi-source Application shows its first source's commit (Argo CD's UI does the same).
      checkouts.get(0).commitInfo().ifPresent(c -> status.setCommit(ApplicationStatuses.commit(c)));
      trees.addTo(application, status); // the tree travels with the status: no round trip
      report(a, status);
      measure(a, spec, started, syncPhase(decision, manualRevision, result));
      return whenAgain(result);
    } catch (GitFetchException | ChartFetchException e) {
      report(a, ApplicationStatuses.failure(e.getMessage(), a.getRevision()));
    } catch (IOException e) {
      report(
          a,
          ApplicationStatuses.failure(
              "spec is not valid JSON: " + e.getMessage(), a.getRevision()));
    } catch (IllegalArgumentException e) {
      report(a, ApplicationStatuses.failure(e.getMessage(), a.getRevision()));
    } catch (RuntimeException e) {
      LOG.warn("reconcile of {} failed", application, e);
      report(a, ApplicationStatuses.failure("internal error: " + e, a.getRevision()));
    }
    // Failed before the reconciler ran: a self-heal waiting for this reconcile is reported
    // unhealed.
    driftWatcher.reconcileAbandoned(application);
    // A sync someone asked for that could not even start is Argo CD's "Error" phase.
    measure(a, spec, started, manualRevision != null ? AgentMetrics.ERROR : null);
    return Optional.empty();
  }

  /**
   * Ends the running operation; its target is not applied again automatically. Asked while none
   * runs, nothing changes.
   */
  private void terminate(Assignment a) {
    String name = a.getName();
    reconciler
        .operation(name)
        .filter(op -> op.running() && reconciler.terminateOperation(name))
        .ifPresent(
            op -> {
              terminated.put(name, a.getGeneration() + "@" + op.revision());
              LOG.info("application {}: sync operation {} terminated on request", name, op.id());
            });
  }

  /**
   * The phase of the sync operation this reconcile finished, or null when it was no sync: a
   * reconcile that only compared, a sync still waiting on a wave, or an automated pass that found
   * everything equal and wrote nothing (self-heal re-checks every resync; those are not syncs).
   */
  private static String syncPhase(
      ApplyDecision decision, String manualRevision, ReconcileResult result) {
    if (!decision.apply() || result.inProgress()) {
      return null;
    }
    var c = result.counts();
    boolean wrote = c.created() + c.patched() + c.pruned() > 0;
    if (!result.failed() && !wrote && manualRevision == null) {
      return null;
    }
    return result.failed() ? AgentMetrics.FAILED : AgentMetrics.SUCCEEDED;
  }

  private void measure(Assignment a, JsonNode spec, long started, String syncPhase) {
    String destServer = spec == null ? "" : spec.path("destination").path("server").asText("");
    // The Application's own namespace is not part of an assignment: "" as on the control plane.
    metrics.reconciled("", destServer, Duration.ofNanos(System.nanoTime() - started));
    if (syncPhase != null) {
      metrics.synced(a.getName(), "", a.getProject(), destServer, syncPhase);
    }
  }

  /** An Application no longer assigned: its resources deleted, or let go of entirely. */
  private void letGo(String application, boolean deleteResources) {
    if (deleteResources) {
      ReconcileResult r = reconciler.deleteOwnedResources(application);
      LOG.info("application {} unassigned; {}", application, r.message());
    } else {
      // Let go entirely: no more self-heal or drift for objects we no longer manage.
      reconciler.forget(application);
      LOG.info("application {} unassigned; its resources are kept", application);
    }
    statusReporter.forget(application);
    lastApplied.remove(application);
    terminated.remove(application);
  }

  /**
   * Per source: a manual sync's revision, else the one the control plane resolved, else empty (the
   * source's own targetRevision). A multi-source Application's revisions are joined by commas, each
   * entry for one source ({@link SourceRevisions}).
   */
  private static List<String> wantedRevisions(Assignment a, AppSpec app, String manualRevision) {
    int count = app.allSources().size();
    if (manualRevision != null && !manualRevision.isEmpty()) {
      return app.isMultiSource()
          ? SourceRevisions.split(manualRevision, count)
          : List.of(manualRevision);
    }
    if (app.isMultiSource()) {
      // From an older control plane, or one that could not resolve: the agent resolves them.
      return a.getSourceRevisionsCount() == count ? a.getSourceRevisionsList() : List.of();
    }
    return List.of(a.getRevision());
  }

  private ApplyDecision decide(Assignment a, JsonNode spec, String manualRevision, String target) {
    JsonNode automated = spec.path("syncPolicy").path("automated");
    ApplyDecision d =
        ApplyDecision.decide(
            !automated.isMissingNode(),
            automated.path("selfHeal").asBoolean(false),
            a.getAutoSyncBlocked(),
            manualRevision != null,
            target,
            lastApplied.get(a.getName()));
    if (manualRevision == null && target.equals(terminated.get(a.getName()))) {
      return new ApplyDecision(false, d.windowClosed()); // terminated: compare only
    }
    if (manualRevision != null || !target.equals(terminated.get(a.getName()))) {
      terminated.remove(a.getName());
    }
    return d;
  }

  private static AppSpec appSpec(Assignment a) {
    AppSpec spec =
        AppSpec.parse(a.getName(), a.getProject(), a.getSpecJson())
            .withResourceRules(a.hasResourceRules() ? a.getResourceRules() : null);
    return a.getAutoSyncBlocked() ? spec.withSelfHealSuspended() : spec;
  }

  private void remember(
      Assignment a,
      ApplyDecision decision,
      String manualRevision,
      boolean prune,
      String target,
      ReconcileResult result) {
    if (decision.apply() && !result.failed() && !result.inProgress()) {
      lastApplied.put(a.getName(), target);
    }
    if (manualRevision != null && result.requeueAfter().isPresent()) {
      inbox.keepManualSync(a.getName(), manualRevision, prune);
    }
  }

  private ApplicationStatus.Builder status(
      Assignment a,
      String sha,
      ReconcileResult result,
      ApplyDecision decision,
      String manualRevision) {
    ApplicationStatus.Builder status = statuses.of(sha, result, statusReporter.latest(a.getName()));
    if (decision.windowClosed() && manualRevision == null) {
      String note = "automated sync blocked: " + a.getAutoSyncBlockedReason();
      status.setMessage(status.getMessage().isEmpty() ? note : note + "; " + status.getMessage());
    }
    return status;
  }

  /** Recorded only: the reporter deduplicates and sends batches on its own schedule. */
  private void report(Assignment a, ApplicationStatus.Builder builder) {
    // Every status carries the operation, so a comparison or a Git failure never hides it.
    reconciler
        .operation(a.getName())
        .ifPresent(op -> builder.setOperationState(ReconcileStatusMapper.operation(op)));
    reconciler.deployedRevision(a.getName()).ifPresent(builder::setDeployedRevision);
    statusReporter.report(statuses.stamp(a, builder));
  }

  private static Optional<Duration> whenAgain(ReconcileResult result) {
    if (result.requeueAfter().isPresent()) {
      return result.requeueAfter();
    }
    if (result.health() == HealthState.PROGRESSING) {
      return Optional.of(PROGRESSING_RECHECK);
    }
    return Optional.empty();
  }
}
