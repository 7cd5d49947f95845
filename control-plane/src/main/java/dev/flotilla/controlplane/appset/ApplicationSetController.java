package dev.flotilla.controlplane.appset;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.appset.ApplicationSetRepository.StoredApplicationSet;
import dev.flotilla.controlplane.appset.GenerationStatusWriter.StepFailed;
import dev.flotilla.controlplane.appset.plan.GenerationInputs;
import dev.flotilla.controlplane.appset.plan.GenerationPlan;
import dev.flotilla.controlplane.appset.plan.GenerationPlanner;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.git.GitFetcher;
import dev.flotilla.controlplane.git.GitReads;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.generators.ApplicationSet;
import dev.flotilla.generators.ApplicationSetEngine;
import dev.flotilla.generators.ApplicationSetParser;
import dev.flotilla.generators.ClusterInfo;
import dev.flotilla.generators.GenerationResult;
import dev.flotilla.generators.GeneratorInputs;
import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import dev.flotilla.generators.InvalidApplicationSetException;
import dev.flotilla.generators.TemplateProjects;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns stored ApplicationSets into stored Applications and tells the affected agents.
 *
 * <p>A thin shell: it loads the inputs, runs the generators and carries out what {@link
 * GenerationPlanner} decides (the safety rules live there: when anything in a generation fails,
 * nothing is deleted and Applications that did not render are left exactly as they were; a
 * generation that suddenly yields nothing deletes nothing unless the ApplicationSet explicitly
 * allows it). Regenerations of one ApplicationSet are chained, never parallel.
 */
public final class ApplicationSetController {

  private static final Logger LOG = LoggerFactory.getLogger(ApplicationSetController.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Annotation that lets a generation with zero results delete every Application it had. */
  public static final String ALLOW_EMPTY_ANNOTATION = GenerationPlanner.ALLOW_EMPTY_ANNOTATION;

  /** The policies Argo CD defines; anything else is refused when an ApplicationSet is applied. */
  public static final Set<String> POLICIES = GenerationPlanner.POLICIES;

  private volatile BiConsumer<Duration, Boolean> generations = (took, failed) -> {};
  private volatile GenerationLock lock = GenerationLock.NONE;

  private final WorkerExecutor gitOps;
  private final ApplicationSetRepository applicationSets;
  private final ApplicationRepository applications;
  private final ClusterRepository clusters;
  private final GitFetcher git;
  private final AgentDispatcher dispatcher;
  private final ProjectGate projects;
  private final ApplicationEvents events;
  private final ApplicationsSyncSettings syncSettings;
  private final ApplicationSetEngine engine = new ApplicationSetEngine();
  private final Map<String, Future<Void>> running = new ConcurrentHashMap<>();
  private final ApplicationSetDeletion deletions;
  private final GenerationPlanStore planStore;
  private final GenerationStatusWriter statusWriter;
  private final GitInputTracker gitInputs = new GitInputTracker();
  private final Clock clock;

  public ApplicationSetController(
      WorkerExecutor gitOps,
      ApplicationSetRepository applicationSets,
      ApplicationRepository applications,
      ClusterRepository clusters,
      GitFetcher git,
      AgentDispatcher dispatcher,
      ProjectGate projects,
      ApplicationEvents events,
      Duration defaultRequeue,
      String serverPolicy,
      boolean allowPolicyOverride,
      Clock clock) {
    this.gitOps = gitOps;
    this.applicationSets = applicationSets;
    this.applications = applications;
    this.clusters = clusters;
    this.git = git;
    this.dispatcher = dispatcher;
    this.projects = projects;
    this.events = events;
    this.syncSettings = new ApplicationsSyncSettings(serverPolicy, allowPolicyOverride);
    this.clock = clock;
    this.deletions =
        new ApplicationSetDeletion(applicationSets, applications, dispatcher, events, clock);
    this.planStore = new GenerationPlanStore(applications);
    this.statusWriter = new GenerationStatusWriter(applicationSets, defaultRequeue, clock);
  }

  /** Parses and validates an ApplicationSet document (YAML or JSON), stores it and generates. */
  public Future<ApplicationSet> apply(String text) {
    try {
      return apply(ApplicationSetParser.parse(text));
    } catch (InvalidApplicationSetException e) {
      return Future.failedFuture(new IllegalArgumentException(e.getMessage(), e));
    }
  }

  /** Stores an ApplicationSet already parsed (off the event loop) and generates it. */
  public Future<ApplicationSet> apply(ApplicationSet parsed) {
    JsonObject document = new JsonObject(parsed.document().toString());
    Optional<String> invalid = ApplicationsSyncSettings.invalidOwnPolicy(document);
    if (invalid.isPresent()) {
      return Future.failedFuture(new IllegalArgumentException(invalid.get()));
    }
    return applicationSets
        .upsert(parsed.name(), document)
        .compose(created -> reconcile(parsed.name()))
        .map(parsed);
  }

  /**
   * Dry run: what {@code text} would generate now against the registered clusters and Git. Stores
   * nothing and changes nothing.
   */
  public Future<GenerationResult> dryRun(String text) {
    try {
      return dryRun(ApplicationSetParser.parse(text));
    } catch (InvalidApplicationSetException e) {
      return Future.failedFuture(new IllegalArgumentException(e.getMessage(), e));
    }
  }

  /** What an ApplicationSet already parsed would generate now; stores nothing. */
  public Future<GenerationResult> dryRun(ApplicationSet parsed) {
    return clusters
        .list()
        .compose(
            registered ->
                GitReads.run(
                    git,
                    gitOps,
                    GitFetcher.now(),
                    RepoUrls.in(new JsonObject(parsed.document().toString())),
                    reads ->
                        engine.generate(
                            parsed,
                            inputs(clusterInfos(registered), GitInputTracker.newReads(), reads))));
  }

  /**
   * Starts deleting an ApplicationSet and, per its policy, the Applications it generated, in the
   * background (see {@link ApplicationSetDeletion}); returns the deletion's progress at once, or
   * empty when there is no such set.
   */
  public Future<Optional<JsonObject>> requestDeletion(String name) {
    return applicationSets
        .get(name)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return Future.succeededFuture(Optional.empty());
              }
              String policy = syncSettings.effectivePolicy(found.get().document());
              boolean deleteApps = !policy.equals("create-only") && !policy.equals("create-update");
              return deletions.request(name, deleteApps);
            });
  }

  /** Deletes an ApplicationSet as {@link #requestDeletion} does; completes once it is gone. */
  public Future<Boolean> delete(String name) {
    return requestDeletion(name)
        .compose(
            state ->
                state.isEmpty() ? Future.succeededFuture(false) : deletions.resume(name).map(true));
  }

  /** Resumes the deletions a previous run left unfinished (called at start). */
  public Future<Void> resumeDeletions() {
    return deletions.resumeAll();
  }

  /** Regenerates every ApplicationSet now (clusters changed, Git changed, start-up). */
  public Future<Void> reconcileAll() {
    return applicationSets
        .list()
        .compose(
            all -> Future.join(all.stream().map(a -> reconcile(a.name())).toList()).mapEmpty());
  }

  /**
   * Regenerates the ApplicationSets whose requeue time has come. Those whose Git inputs moved are
   * regenerated per repository, by {@link #gitChanged}, as the poller fetches each.
   */
  public Future<Void> reconcileDue() {
    Instant now = clock.instant();
    return applicationSets
        .list()
        .compose(
            all ->
                Future.join(
                        all.stream()
                            .filter(a -> statusWriter.isDue(a.name(), now))
                            .map(a -> reconcile(a.name()))
                            .toList())
                    .mapEmpty());
  }

  /** Every repository the last generations read, so the poller fetches them too. */
  public Set<String> gitInputUrls() {
    return gitInputs.urls();
  }

  /**
   * {@code url} was just fetched: regenerates the ApplicationSets whose inputs from it now resolve
   * to another commit (so adding a directory is picked up at the next poll). Reads the mirror only,
   * no network.
   */
  public Future<Void> gitChanged(String url, long since) {
    List<String> readers = gitInputs.readersOf(url);
    if (readers.isEmpty()) {
      return Future.succeededFuture();
    }
    return gitOps
        .executeBlocking(
            () -> readers.stream().filter(n -> gitInputs.moved(n, git)).toList(), false)
        .compose(
            moved -> Future.join(moved.stream().map(n -> reconcile(n, since)).toList()).mapEmpty());
  }

  /**
   * Regenerates one ApplicationSet; concurrent requests for the same one are chained, never
   * parallel.
   */
  public Future<Void> reconcile(String name) {
    return reconcile(name, GitFetcher.now());
  }

  /** Regenerates from Git fetched at or after {@code since} (a {@link GitFetcher#now()} mark). */
  private Future<Void> reconcile(String name, long since) {
    synchronized (running) {
      Future<Void> previous = running.getOrDefault(name, Future.succeededFuture());
      Future<Void> next =
          previous.transform(ignored -> lock.exclusively(name, () -> reconcileNow(name, since)));
      running.put(name, next);
      next.onComplete(ar -> running.remove(name, next));
      return next;
    }
  }

  private Future<Void> reconcileNow(String name, long since) {
    return applicationSets
        .get(name)
        .compose(
            found -> {
              if (found.isEmpty() || found.get().deleting()) {
                // Gone, or going: a generation now would only re-create what is being deleted.
                statusWriter.forget(name);
                gitInputs.forget(name);
                return Future.succeededFuture();
              }
              long started = System.nanoTime();
              return generateAndStore(found.get(), since)
                  .andThen(
                      ar ->
                          generations.accept(
                              Duration.ofNanos(System.nanoTime() - started), ar.failed()));
            });
  }

  /** How generations are kept from running on two replicas at once; set once at start. */
  public void lockThrough(GenerationLock lock) {
    this.lock = lock;
  }

  /** Tells {@code observer} how long each generation took and whether it failed (metrics). */
  public void observeGenerations(BiConsumer<Duration, Boolean> observer) {
    this.generations = observer;
  }

  /**
   * load → generate → plan → persist → dispatch → write status. Every step's failure reaches the
   * status as an error condition before it is passed on, so a set whose Applications could not be
   * stored or sent never shows "generated without errors". The status is written last so that it
   * also tells whether the agents were told.
   */
  private Future<Void> generateAndStore(StoredApplicationSet stored, long since) {
    return load(stored)
        .compose(loaded -> generateAndPlan(loaded, since))
        .transform(
            planned ->
                planned.failed()
                    ? statusWriter.write(stored, null, StepFailed.generate(planned.cause()), false)
                    : persist(stored, planned.result()))
        .onFailure(e -> LOG.warn("ApplicationSet {}: reconcile failed", stored.name(), e));
  }

  /** What a generation is decided from, read together. */
  private record Loaded(
      StoredApplicationSet stored,
      List<ClusterInfo> clusters,
      List<StoredApplication> owned,
      ProjectGate.Policies projects) {}

  private Future<Loaded> load(StoredApplicationSet stored) {
    Future<List<Cluster>> registered = clusters.list();
    Future<List<StoredApplication>> owned = applications.listByApplicationSet(stored.name());
    Future<ProjectGate.Policies> policies = projects.load();
    return Future.all(registered, owned, policies)
        .map(
            all ->
                new Loaded(
                    stored, clusterInfos(registered.result()), owned.result(), policies.result()));
  }

  /** Generates and plans on a worker: generators read Git, and so does resolving revisions. */
  private Future<GenerationPlan> generateAndPlan(Loaded loaded, long since) {
    JsonObject document = loaded.stored().document();
    return GitReads.run(
        git,
        gitOps,
        since,
        RepoUrls.in(document),
        reads -> {
          ApplicationSet appSet;
          try {
            appSet = ApplicationSetParser.validate(JSON.readTree(document.encode()));
          } catch (InvalidApplicationSetException | IOException e) {
            return GenerationPlanner.invalidSpec(e.getMessage());
          }
          return plan(loaded, appSet, generate(loaded, appSet, reads), reads);
        });
  }

  /** Runs the generators, recording which Git inputs they read (see {@link #gitChanged}). */
  private GenerationResult generate(Loaded loaded, ApplicationSet appSet, GitReads reads) {
    Map<String, String> read = GitInputTracker.newReads();
    GenerationResult result = engine.generate(appSet, inputs(loaded.clusters(), read, reads));
    gitInputs.record(loaded.stored().name(), read);
    return result;
  }

  private GenerationPlan plan(
      Loaded loaded, ApplicationSet appSet, GenerationResult result, GitReads reads) {
    JsonObject document = loaded.stored().document();
    return GenerationPlanner.plan(
        new GenerationInputs(
            loaded.stored().name(),
            result,
            loaded.owned(),
            syncSettings.effectivePolicy(document),
            ApplicationsSyncSettings.preserveResourcesOnDeletion(document),
            ApplicationsSyncSettings.allowsEmptyGeneration(document),
            TemplateProjects.names(appSet.document()),
            loaded.projects()::violation,
            loaded.clusters(),
            reads::resolve));
  }

  private Future<Void> persist(StoredApplicationSet stored, GenerationPlan plan) {
    return planStore
        .store(stored.name(), plan)
        .transform(
            persisted ->
                persisted.failed()
                    ? statusWriter.write(stored, plan, StepFailed.persist(persisted.cause()), false)
                    : dispatch(stored, persisted.result()));
  }

  private Future<Void> dispatch(StoredApplicationSet stored, GenerationPlan plan) {
    plan.upserts().forEach(a -> events.changed(a.name()));
    plan.deletes().forEach(events::changed);
    return dispatcher
        .clustersChanged(plan.affectedClusters())
        .transform(
            sent ->
                statusWriter.write(
                    stored, plan, sent.failed() ? StepFailed.dispatch(sent.cause()) : null, true));
  }

  private static List<ClusterInfo> clusterInfos(List<Cluster> registered) {
    return registered.stream()
        .map(c -> new ClusterInfo(c.name(), c.server(), c.labels(), c.annotations()))
        .toList();
  }

  private static GeneratorInputs inputs(
      List<ClusterInfo> clusters, Map<String, String> read, GitReads reads) {
    return new GeneratorInputs() {
      @Override
      public List<ClusterInfo> clusters() {
        return clusters;
      }

      @Override
      public GitTreeSnapshot gitTree(String repoUrl, String revision) throws GitInputException {
        GitTreeSnapshot snapshot = reads.snapshot(repoUrl, revision);
        read.put(GitInputTracker.key(repoUrl, revision), snapshot.revision());
        return snapshot;
      }
    };
  }
}
