package dev.flotilla.controlplane.appofapps;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controlplane.appofapps.AppOfAppsRepository.ParentRow;
import dev.flotilla.controlplane.appofapps.ParentManifests.Found;
import dev.flotilla.controlplane.appofapps.plan.AppOfAppsAllowEmpty;
import dev.flotilla.controlplane.appofapps.plan.AppOfAppsInputs;
import dev.flotilla.controlplane.appofapps.plan.AppOfAppsPlan;
import dev.flotilla.controlplane.appofapps.plan.AppOfAppsPlanner;
import dev.flotilla.controlplane.appofapps.plan.ChildKey;
import dev.flotilla.controlplane.appofapps.plan.ChildKind;
import dev.flotilla.controlplane.appofapps.plan.DesiredChild;
import dev.flotilla.controlplane.appofapps.plan.ExistingChild;
import dev.flotilla.controlplane.appofapps.plan.ParentCondition;
import dev.flotilla.controlplane.git.GitFetcher;
import dev.flotilla.controlplane.git.GitReads;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.controlplane.project.ProjectRepository;
import dev.flotilla.core.digest.Digests;
import dev.flotilla.core.model.Application;
import dev.flotilla.core.model.SyncPolicy;
import dev.flotilla.core.project.ResourcePermissions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App of Apps: reads every Application's manifests from Git and hands the Argo CD objects in them
 * (Applications, ApplicationSets, AppProjects) to the control plane, owned by that parent. A thin
 * shell around {@link AppOfAppsPlanner}, which holds the safety rules.
 *
 * <p>Cheap for many Applications: each sweep reads only every Application's generation (which
 * changes with its spec and its resolved commit) and evaluates those whose generation moved, plus
 * every known parent when a project changed; {@link ParentManifests} renders only what may declare
 * children, once per commit and source. Evaluations of one parent are chained, never parallel;
 * different parents proceed side by side, so one hung repository delays only its own parents.
 */
public final class AppOfAppsController {

  private static final Logger LOG = LoggerFactory.getLogger(AppOfAppsController.class);

  /** Parents evaluated side by side. */
  static final int LANES = 4;

  private final Vertx vertx;
  private final WorkerExecutor gitOps;
  private final GitFetcher fetcher;
  private final AppOfAppsRepository repository;
  private final ProjectRepository projects;
  private final ProjectGate gate;
  private final ParentManifests manifests;
  private final ChildWriter writer;
  private final Duration interval;

  /** Git fetched since the controller started is fresh enough: parents name their commit. */
  private final long started = GitFetcher.now();

  private final Map<String, Long> evaluated = new ConcurrentHashMap<>();
  private final Map<String, Future<Void>> running = new ConcurrentHashMap<>();
  private volatile long policyVersion = Long.MIN_VALUE;
  private long timer = -1;

  AppOfAppsController(
      Vertx vertx,
      WorkerExecutor gitOps,
      GitFetcher fetcher,
      AppOfAppsRepository repository,
      ProjectRepository projects,
      ProjectGate gate,
      ParentManifests manifests,
      ChildWriter writer,
      Duration interval) {
    this.vertx = vertx;
    this.gitOps = gitOps;
    this.fetcher = fetcher;
    this.repository = repository;
    this.projects = projects;
    this.gate = gate;
    this.manifests = manifests;
    this.writer = writer;
    this.interval = interval;
  }

  public void start() {
    timer = vertx.setPeriodic(0, interval.toMillis(), id -> sweep());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /**
   * Evaluates every Application whose generation moved since it was last evaluated (every known
   * parent when a project changed); completes when those evaluations have ended.
   */
  public Future<Void> sweep() {
    return Future.all(repository.generations(), repository.knownParents(), projects.policyVersion())
        .compose(
            all -> {
              Map<String, Long> generations = all.resultAt(0);
              Set<String> known = all.resultAt(1);
              long version = all.<Long>resultAt(2);
              boolean projectsChanged = version != policyVersion;
              policyVersion = version;
              evaluated.keySet().retainAll(generations.keySet());
              List<String> due = new ArrayList<>();
              generations.forEach(
                  (name, generation) -> {
                    if (!generation.equals(evaluated.get(name))
                        || (projectsChanged && known.contains(name))) {
                      due.add(name);
                    }
                  });
              return evaluate(due, known, false);
            })
        .onFailure(e -> LOG.warn("App of Apps sweep failed", e))
        .otherwiseEmpty();
  }

  /**
   * Evaluates {@code parent} now and prunes what its manifests no longer declare even if it does
   * not prune automatically: Argo CD's sync with prune, for the parent's children.
   */
  public Future<Void> syncWithPrune(String parent) {
    return repository.knownParents().compose(known -> evaluate(List.of(parent), known, true));
  }

  private Future<Void> evaluate(List<String> names, Set<String> known, boolean prune) {
    if (names.isEmpty()) {
      return Future.succeededFuture();
    }
    return repository
        .parents(names)
        .compose(
            rows -> {
              // A few lanes side by side, each evaluating its parents one after another: ten
              // thousand at start-up neither flood the Git workers nor wait on one slow repository.
              int lanes = Math.min(LANES, rows.size());
              List<Future<Void>> ends = new ArrayList<>();
              for (int lane = 0; lane < lanes; lane++) {
                Future<Void> chain = Future.succeededFuture();
                for (int i = lane; i < rows.size(); i += lanes) {
                  ParentRow row = rows.get(i);
                  chain = chain.transform(v -> chained(row, known.contains(row.name()), prune));
                }
                ends.add(chain);
              }
              return Future.join(ends).mapEmpty();
            });
  }

  private Future<Void> chained(ParentRow row, boolean known, boolean prune) {
    synchronized (running) {
      Future<Void> previous = running.getOrDefault(row.name(), Future.succeededFuture());
      Future<Void> next = previous.transform(v -> evaluateNow(row, known, prune));
      running.put(row.name(), next);
      next.onComplete(ar -> running.remove(row.name(), next));
      return next;
    }
  }

  private Future<Void> evaluateNow(ParentRow row, boolean known, boolean forcePrune) {
    long generation = row.generation();
    Application parent;
    try {
      parent = Application.parse(row.document().mapTo(ObjectNode.class));
    } catch (IllegalArgumentException e) {
      evaluated.put(row.name(), generation);
      return Future.succeededFuture(); // refused at dispatch; nothing to read
    }
    return GitReads.run(
            fetcher,
            gitOps,
            started,
            List.of(),
            reads -> manifests.read(row.name(), parent, row.revision(), reads))
        .compose(
            found -> {
              boolean hasChildren = !found.objects().isEmpty();
              boolean renderFailed = found.error().isPresent() && !found.key().isEmpty();
              if (!known && !hasChildren && !renderFailed) {
                return Future.succeededFuture(true); // an ordinary Application: nothing to store
              }
              return plan(row, parent, found, forcePrune);
            })
        .<Void>map(
            done -> {
              if (done) {
                evaluated.put(row.name(), generation);
              }
              return null;
            })
        .onFailure(e -> LOG.warn("App of Apps: evaluating {} failed", row.name(), e))
        .otherwiseEmpty();
  }

  /** Plans and carries out; completes with whether everything was done (else: again next sweep). */
  private Future<Boolean> plan(ParentRow row, Application parent, Found found, boolean forcePrune) {
    List<DesiredChild> desired = ChildDocuments.of(found.objects());
    Map<ChildKey, String> digests = new HashMap<>();
    desired.forEach(d -> digests.put(d.key(), d.digest()));
    String project = row.project().isEmpty() ? ProjectGate.DEFAULT_PROJECT : row.project();
    return Future.all(
            repository.owned(row.name()),
            repository.ownedElsewhere(row.name(), desired.stream().map(DesiredChild::key).toList()),
            gate.load())
        .compose(
            all -> {
              List<ExistingChild> owned = all.resultAt(0);
              Map<ChildKey, String> elsewhere = all.resultAt(1);
              ProjectGate.Policies policies = all.resultAt(2);
              AppOfAppsPlan plan =
                  AppOfAppsPlanner.plan(
                      new AppOfAppsInputs(
                          row.name(),
                          project,
                          found.error(),
                          desired,
                          owned,
                          elsewhere,
                          kind -> kindViolation(policies, project, parent, kind),
                          forcePrune || prunes(parent),
                          allowsEmpty(parent)));
              return writer
                  .carryOut(row.name(), plan)
                  .compose(
                      failed -> {
                        // What was written is declared; a failed write keeps the old digest, so
                        // the next evaluation tries it again.
                        Map<ChildKey, String> declared = new HashMap<>();
                        owned.forEach(o -> declared.put(o.key(), o.declared()));
                        for (DesiredChild c : plan.creates()) {
                          if (!failed.containsKey(c.key())) {
                            declared.put(c.key(), c.digest());
                          }
                        }
                        for (DesiredChild c : plan.updates()) {
                          if (!failed.containsKey(c.key())) {
                            declared.put(c.key(), c.digest());
                          }
                        }
                        List<ChildKey> children = new ArrayList<>();
                        for (ChildKey k : plan.children()) {
                          if (declared.containsKey(k) || !failed.containsKey(k)) {
                            children.add(k);
                          }
                        }
                        List<ParentCondition> conditions = new ArrayList<>(plan.conditions());
                        conditions.addAll(failed.values());
                        return repository
                            .saveStatus(
                                row.name(), renderKey(found), children, declared, conditions)
                            .map(failed.isEmpty() && found.error().isEmpty());
                      });
            });
  }

  /**
   * The rule against escalation through Git, on the kind: the parent's project must permit group
   * argoproj.io kind Application and ApplicationSet (namespaced, in the parent's destination
   * namespace) and AppProject (cluster-scoped) on the parent's destination cluster.
   */
  private static Optional<String> kindViolation(
      ProjectGate.Policies policies, String project, Application parent, ChildKind kind) {
    var d = parent.spec().destination();
    boolean namespaced = kind != ChildKind.APP_PROJECT;
    String namespace = namespaced ? text(d.namespace()) : "";
    return policies
        .objectViolation(
            project,
            text(d.server()),
            text(d.name()),
            ChildKind.GROUP,
            kind.kind(),
            namespace,
            "(child)",
            namespaced ? ResourcePermissions.Scope.NAMESPACED : ResourcePermissions.Scope.CLUSTER)
        .map(why -> "refused by the parent's project: " + why);
  }

  /** The key stored with the status: a digest (the key itself holds NUL separators). */
  private static String renderKey(Found found) {
    return found.key().isEmpty() ? "" : Digests.sha256Hex(found.key());
  }

  private static boolean prunes(Application parent) {
    SyncPolicy p = parent.spec().syncPolicy();
    return p != null && p.isAutomated() && p.automated().prune();
  }

  private static boolean allowsEmpty(Application parent) {
    SyncPolicy p = parent.spec().syncPolicy();
    if (p != null && p.isAutomated() && p.automated().allowEmpty()) {
      return true;
    }
    return "true".equals(parent.annotations().get(AppOfAppsAllowEmpty.ANNOTATION));
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
