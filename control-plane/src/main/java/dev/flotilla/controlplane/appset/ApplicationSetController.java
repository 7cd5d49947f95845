package dev.flotilla.controlplane.appset;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.appset.ApplicationSetRepository.StoredApplicationSet;
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
import dev.flotilla.generators.GeneratedApplication;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.GenerationResult;
import dev.flotilla.generators.GeneratorInputs;
import dev.flotilla.generators.GitInputException;
import dev.flotilla.generators.GitTreeSnapshot;
import dev.flotilla.generators.InvalidApplicationSetException;
import dev.flotilla.generators.TemplateProjects;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns stored ApplicationSets into stored Applications and tells the affected agents.
 *
 * <p>Safety first: when anything in a generation fails, nothing is deleted and Applications that
 * did not render are left exactly as they were; a generation that suddenly yields nothing deletes
 * nothing unless the ApplicationSet explicitly allows it.
 */
public final class ApplicationSetController {

  private static final Logger LOG = LoggerFactory.getLogger(ApplicationSetController.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Annotation that lets a generation with zero results delete every Application it had. */
  public static final String ALLOW_EMPTY_ANNOTATION = "flotilla.dev/allow-empty-generation";

  private final WorkerExecutor gitOps;
  private final ApplicationSetRepository applicationSets;
  private final ApplicationRepository applications;
  private final ClusterRepository clusters;
  private final GitFetcher git;
  private final AgentDispatcher dispatcher;
  private final ProjectGate projects;
  private final ApplicationEvents events;
  private final Duration defaultRequeue;
  private final String serverPolicy;
  private final boolean allowPolicyOverride;
  private final ApplicationSetEngine engine = new ApplicationSetEngine();
  private final Map<String, Future<Void>> running = new ConcurrentHashMap<>();
  private final ApplicationSetDeletion deletions;
  private final Map<String, Instant> nextDue = new ConcurrentHashMap<>();

  /** Per ApplicationSet, the Git inputs its last generation read: "url\0revision" -> commit SHA. */
  private final Map<String, Map<String, String>> gitInputs = new ConcurrentHashMap<>();

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
      boolean allowPolicyOverride) {
    this.gitOps = gitOps;
    this.applicationSets = applicationSets;
    this.applications = applications;
    this.clusters = clusters;
    this.git = git;
    this.dispatcher = dispatcher;
    this.projects = projects;
    this.events = events;
    this.defaultRequeue = defaultRequeue;
    this.serverPolicy = serverPolicy;
    this.allowPolicyOverride = allowPolicyOverride;
    this.deletions = new ApplicationSetDeletion(applicationSets, applications, dispatcher, events);
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
    String own =
        document
            .getJsonObject("spec", new JsonObject())
            .getJsonObject("syncPolicy", new JsonObject())
            .getString("applicationsSync");
    if (own != null && !POLICIES.contains(own)) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "spec.syncPolicy.applicationsSync: '"
                  + own
                  + "' is not one of create-only, create-update, create-delete, sync"));
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
                    repoUrlsIn(new JsonObject(parsed.document().toString())),
                    reads -> engine.generate(parsed, inputs(registered, new HashMap<>(), reads))));
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
              String policy = effectivePolicy(found.get().document());
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
    Instant now = Instant.now();
    return applicationSets
        .list()
        .compose(
            all ->
                Future.join(
                        all.stream()
                            .filter(a -> !nextDue.getOrDefault(a.name(), Instant.MIN).isAfter(now))
                            .map(a -> reconcile(a.name()))
                            .toList())
                    .mapEmpty());
  }

  /** Every repository the last generations read, so the poller fetches them too. */
  public Set<String> gitInputUrls() {
    Set<String> urls = new TreeSet<>();
    gitInputs.values().forEach(read -> read.keySet().forEach(k -> urls.add(k.split("\u0000")[0])));
    return urls;
  }

  /**
   * {@code url} was just fetched: regenerates the ApplicationSets whose inputs from it now resolve
   * to another commit (so adding a directory is picked up at the next poll). Reads the mirror only,
   * no network.
   */
  public Future<Void> gitChanged(String url, long since) {
    List<String> readers =
        gitInputs.entrySet().stream()
            .filter(e -> e.getValue().keySet().stream().anyMatch(k -> k.startsWith(url + "\u0000")))
            .map(Map.Entry::getKey)
            .toList();
    if (readers.isEmpty()) {
      return Future.succeededFuture();
    }
    return gitOps
        .executeBlocking(() -> readers.stream().filter(this::gitInputsMoved).toList(), false)
        .compose(
            moved -> Future.join(moved.stream().map(n -> reconcile(n, since)).toList()).mapEmpty());
  }

  private boolean gitInputsMoved(String name) {
    for (var e : gitInputs.getOrDefault(name, Map.of()).entrySet()) {
      String[] source = e.getKey().split("\u0000", 2);
      try {
        if (!git.repositories().resolveLocal(source[0], source[1]).equals(e.getValue())) {
          return true;
        }
      } catch (GitInputException unreadable) {
        // Regenerating would only repeat the error already reported.
      }
    }
    return false;
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
      Future<Void> next = previous.transform(ignored -> reconcileNow(name, since));
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
                nextDue.remove(name);
                gitInputs.remove(name);
                return Future.succeededFuture();
              }
              return generateAndStore(found.get(), since);
            });
  }

  /**
   * load → generate → plan → persist → dispatch → write status. Every step's failure reaches the
   * status as an error condition before it is passed on, so a set whose Applications could not be
   * stored or sent never shows "generated without errors".
   */
  private Future<Void> generateAndStore(StoredApplicationSet stored, long since) {
    String name = stored.name();
    Future<List<Cluster>> registered = clusters.list();
    Future<List<StoredApplication>> existing = applications.listByApplicationSet(name);
    Future<ProjectGate.Policies> policies = projects.load();
    return Future.all(registered, existing, policies)
        .compose(
            all ->
                GitReads.run(
                    git,
                    gitOps,
                    since,
                    repoUrlsIn(stored.document()),
                    reads ->
                        plan(
                            stored,
                            registered.result(),
                            existing.result(),
                            policies.result(),
                            reads)))
        .transform(
            planned -> {
              if (planned.failed()) {
                return finish(stored, null, failure("generate", planned.cause()), false);
              }
              return persist(name, planned.result())
                  .transform(
                      persisted -> {
                        if (persisted.failed()) {
                          return finish(
                              stored,
                              planned.result(),
                              failure("persist", persisted.cause()),
                              false);
                        }
                        Plan plan = persisted.result();
                        plan.upserts().forEach(a -> events.changed(a.name()));
                        plan.deletes().forEach(events::changed);
                        return dispatcher
                            .clustersChanged(plan.affectedClusters())
                            .transform(
                                sent ->
                                    finish(
                                        stored,
                                        plan,
                                        sent.failed() ? failure("dispatch", sent.cause()) : null,
                                        true));
                      });
            })
        .onFailure(e -> LOG.warn("ApplicationSet {}: reconcile failed", name, e));
  }

  /** Tags a failed step for the status; keeps the cause to pass on. */
  private static StepFailed failure(String step, Throwable cause) {
    String reason =
        switch (step) {
          case "persist" -> "UpdateApplicationError";
          case "dispatch" -> "DispatchError";
          default -> "ApplicationParamsGenerationError";
        };
    String what =
        switch (step) {
          case "persist" -> "storing the generated Applications failed (nothing was changed): ";
          case "dispatch" -> "telling the agents failed: ";
          default -> "generation could not run: ";
        };
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    return new StepFailed(new GenerationStatus.Failure(step, reason, what + message), cause);
  }

  private record StepFailed(GenerationStatus.Failure failure, Throwable cause) {}

  /** Writes the status of this attempt; fails with the step's cause when a step failed. */
  private Future<Void> finish(
      StoredApplicationSet stored, Plan plan, StepFailed failed, boolean changesStored) {
    Instant now = Instant.now();
    Duration requeue = plan == null ? defaultRequeue : plan.requeueAfter().orElse(defaultRequeue);
    nextDue.put(stored.name(), now.plus(requeue));
    JsonObject status =
        GenerationStatus.of(
            stored.status(),
            plan,
            failed == null ? null : failed.failure(),
            changesStored,
            requeue,
            now);
    if (plan != null && !plan.errors().isEmpty()) {
      LOG.warn("ApplicationSet {}: {}", stored.name(), plan.errors());
    }
    Future<Void> written = applicationSets.updateStatus(stored.name(), status);
    if (failed == null) {
      return written;
    }
    return written.transform(
        ar -> {
          if (ar.failed()) {
            failed.cause().addSuppressed(ar.cause());
          }
          return Future.failedFuture(failed.cause());
        });
  }

  /** What a generation wants changed. Computed on a worker: it runs generators and reads Git. */
  record Plan(
      List<StoredApplication> upserts,
      List<String> deletes,
      List<GenerationError> errors,
      List<String> notes,
      int generated,
      Set<String> affectedClusters,
      Optional<Duration> requeueAfter) {}

  private Plan plan(
      StoredApplicationSet stored,
      List<Cluster> registered,
      List<StoredApplication> existing,
      ProjectGate.Policies policies,
      GitReads reads)
      throws Exception {
    String name = stored.name();
    List<GenerationError> errors = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    ApplicationSet appSet;
    try {
      appSet = ApplicationSetParser.validate(JSON.readTree(stored.document().encode()));
    } catch (InvalidApplicationSetException | IOException e) {
      errors.add(new GenerationError("spec", e.getMessage()));
      return new Plan(List.of(), List.of(), errors, notes, 0, Set.of(), Optional.empty());
    }
    Map<String, String> read = new ConcurrentHashMap<>();
    GenerationResult result = engine.generate(appSet, inputs(registered, read, reads));
    gitInputs.put(name, read);
    errors.addAll(result.errors());

    Map<String, StoredApplication> before = new HashMap<>();
    existing.forEach(a -> before.put(a.name(), a));
    String policy = effectivePolicy(stored.document());
    boolean preserve =
        stored
            .document()
            .getJsonObject("spec", new JsonObject())
            .getJsonObject("syncPolicy", new JsonObject())
            .getBoolean("preserveResourcesOnDeletion", false);

    Set<String> named = TemplateProjects.names(appSet.document());
    Map<String, String> resolved = new HashMap<>();
    List<StoredApplication> upserts = new ArrayList<>();
    Set<String> affected = new TreeSet<>();
    Set<String> generatedNames = new HashSet<>();
    for (GeneratedApplication app : result.applications()) {
      generatedNames.add(app.name());
      StoredApplication old = before.get(app.name());
      // Permission to store the set was decided on the projects its templates name (see
      // TemplateProjects); an Application anywhere else never passed it. The renderer already
      // refuses that; this is the second line.
      String project = app.project().isEmpty() ? ProjectGate.DEFAULT_PROJECT : app.project();
      Optional<String> forbidden =
          named.contains(project)
              ? policies.violation(app)
              : Optional.of(
                  "project '"
                      + project
                      + "' is named by no template of the ApplicationSet "
                      + "(permission for it was never checked)");
      if (forbidden.isPresent()) {
        // Never stored as generated; an existing one keeps its content but is held back from
        // dispatch.
        errors.add(new GenerationError("Application " + app.name(), forbidden.get()));
        if (old != null && !forbidden.get().equals(old.dispatchError())) {
          upserts.add(
              new StoredApplication(
                  old.name(),
                  old.applicationSet(),
                  old.project(),
                  old.cluster(),
                  old.document(),
                  old.revision(),
                  old.generation(),
                  forbidden.get(),
                  old.deleteResourcesOnRemoval()));
          if (old.cluster() != null) {
            affected.add(old.cluster());
          }
        }
        continue;
      }
      String json = JSON.writeValueAsString(app.document());
      Optional<String> tooLarge = ApplicationSizeLimit.violation(json);
      if (tooLarge.isPresent()) {
        // Like a forbidden one: an existing Application keeps its content, nothing new is stored.
        errors.add(new GenerationError("Application " + app.name(), tooLarge.get()));
        continue;
      }
      String cluster = destinationCluster(app, registered);
      String dispatchError =
          cluster == null
              ? "destination cluster '"
                  + firstNonEmpty(app.destinationName(), app.destinationServer())
                  + "' is not registered (see `flotilla cluster list`)"
              : null;
      String revision = resolveRevision(app, resolved, old, notes, reads);
      StoredApplication next =
          new StoredApplication(
              app.name(),
              name,
              app.project().isEmpty() ? "default" : app.project(),
              cluster,
              new JsonObject(json),
              revision,
              old == null ? 0 : old.generation(),
              dispatchError,
              !preserve);
      boolean changed = old == null || !sameContent(old, next);
      boolean allowed =
          old == null ? true : policy.equals("sync") || policy.equals("create-update");
      if (changed && allowed) {
        upserts.add(next);
        if (old != null && old.cluster() != null) {
          affected.add(old.cluster());
        }
        if (cluster != null) {
          affected.add(cluster);
        }
      } else if (changed) {
        notes.add(
            "'" + app.name() + "' differs from the template but policy " + policy + " keeps it");
      }
    }

    List<String> deletes = new ArrayList<>();
    List<StoredApplication> missing =
        existing.stream().filter(a -> !generatedNames.contains(a.name())).toList();
    if (!missing.isEmpty()) {
      boolean policyAllows = policy.equals("sync") || policy.equals("create-delete");
      boolean allowEmpty =
          "true"
              .equals(
                  stored
                      .document()
                      .getJsonObject("metadata", new JsonObject())
                      .getJsonObject("annotations", new JsonObject())
                      .getString(ALLOW_EMPTY_ANNOTATION));
      if (!errors.isEmpty()) {
        notes.add(
            "kept "
                + missing.size()
                + " Application(s) that did not render because generation had errors");
      } else if (!policyAllows) {
        notes.add(
            "kept " + missing.size() + " Application(s): policy " + policy + " never deletes");
      } else if (result.applications().isEmpty() && !allowEmpty) {
        notes.add(
            "generators returned no Applications; kept all "
                + missing.size()
                + " existing ones (annotate the ApplicationSet with "
                + ALLOW_EMPTY_ANNOTATION
                + "=\"true\" to allow deleting them)");
      } else {
        for (StoredApplication a : missing) {
          deletes.add(a.name());
          if (a.cluster() != null) {
            affected.add(a.cluster());
          }
        }
      }
    }
    return new Plan(
        upserts,
        deletes,
        errors,
        notes,
        result.applications().size(),
        affected,
        result.requeueAfter());
  }

  private GeneratorInputs inputs(
      List<Cluster> registered, Map<String, String> read, GitReads reads) {
    List<ClusterInfo> infos =
        registered.stream()
            .map(c -> new ClusterInfo(c.name(), c.server(), c.labels(), c.annotations()))
            .toList();
    return new GeneratorInputs() {
      @Override
      public List<ClusterInfo> clusters() {
        return infos;
      }

      @Override
      public GitTreeSnapshot gitTree(String repoUrl, String revision) throws GitInputException {
        GitTreeSnapshot snapshot = reads.snapshot(repoUrl, revision);
        read.put(repoUrl + "\u0000" + revision, snapshot.revision());
        return snapshot;
      }
    };
  }

  private String resolveRevision(
      GeneratedApplication app,
      Map<String, String> cache,
      StoredApplication old,
      List<String> notes,
      GitReads reads) {
    String key = app.repoUrl() + "\u0000" + app.targetRevision();
    if (app.repoUrl().isEmpty()) {
      return "";
    }
    String sha = cache.get(key);
    if (sha == null) {
      try {
        sha = reads.resolve(app.repoUrl(), app.targetRevision());
      } catch (GitInputException e) {
        // Keep what the Application had: an unreachable repository must not change it. This is the
        // Application's problem (its agent reports it too), not a failed generation.
        notes.add("Application " + app.name() + ": " + e.getMessage() + "; kept its last revision");
        sha = old != null && app.repoUrl().equals(old.repoUrl()) ? old.revision() : "";
      }
      cache.put(key, sha);
    }
    return sha;
  }

  private static String destinationCluster(GeneratedApplication app, List<Cluster> registered) {
    if (!app.destinationName().isEmpty()) {
      return registered.stream()
          .map(Cluster::name)
          .filter(app.destinationName()::equals)
          .findFirst()
          .orElse(null);
    }
    return registered.stream()
        .filter(c -> c.server().equals(app.destinationServer()))
        .map(Cluster::name)
        .findFirst()
        .orElse(null);
  }

  private static boolean sameContent(StoredApplication a, StoredApplication b) {
    return Objects.equals(a.document(), b.document())
        && Objects.equals(a.cluster(), b.cluster())
        && Objects.equals(a.revision(), b.revision())
        && Objects.equals(a.dispatchError(), b.dispatchError())
        && Objects.equals(a.project(), b.project())
        && a.deleteResourcesOnRemoval() == b.deleteResourcesOnRemoval();
  }

  private Future<Plan> persist(String name, Plan plan) {
    if (plan.upserts().isEmpty() && plan.deletes().isEmpty()) {
      return Future.succeededFuture(plan);
    }
    List<String> names = plan.upserts().stream().map(StoredApplication::name).toList();
    return applications
        .pool()
        .withTransaction(
            tx ->
                applications
                    .ownedElsewhere(tx, name, names)
                    .compose(
                        taken -> {
                          List<GenerationError> errors = new ArrayList<>(plan.errors());
                          Future<Void> f = Future.succeededFuture();
                          for (StoredApplication a : plan.upserts()) {
                            if (taken.contains(a.name())) {
                              errors.add(
                                  new GenerationError(
                                      "Application " + a.name(),
                                      "an Application of that name already exists and belongs to"
                                          + " another ApplicationSet; it was left unchanged"));
                              continue;
                            }
                            f = f.compose(v -> applications.upsert(tx, a).mapEmpty());
                          }
                          for (String d : plan.deletes()) {
                            f = f.compose(v -> applications.delete(tx, d, name).mapEmpty());
                          }
                          return f.map(
                              v ->
                                  new Plan(
                                      plan.upserts(),
                                      plan.deletes(),
                                      errors,
                                      plan.notes(),
                                      plan.generated(),
                                      plan.affectedClusters(),
                                      plan.requeueAfter()));
                        }));
  }

  /**
   * The applicationsSync policy in force, as Argo CD decides it: the ApplicationSet's own when
   * overriding is allowed and it sets one, else the server's, else {@code sync}.
   */
  String effectivePolicy(JsonObject document) {
    String own =
        document
            .getJsonObject("spec", new JsonObject())
            .getJsonObject("syncPolicy", new JsonObject())
            .getString("applicationsSync");
    if (allowPolicyOverride && own != null && !own.isEmpty()) {
      return own;
    }
    return serverPolicy != null ? serverPolicy : "sync";
  }

  /** The policies Argo CD defines; anything else is refused when an ApplicationSet is applied. */
  public static final java.util.Set<String> POLICIES =
      java.util.Set.of("create-only", "create-update", "create-delete", "sync");

  /** Literal (untemplated) repoURLs a document names: fetched before its first generation run. */
  static Set<String> repoUrlsIn(JsonObject document) {
    Set<String> urls = new TreeSet<>();
    collectRepoUrls(document, urls);
    return urls;
  }

  private static void collectRepoUrls(Object node, Set<String> urls) {
    if (node instanceof JsonObject o) {
      for (var e : o) {
        if ("repoURL".equals(e.getKey()) && e.getValue() instanceof String s && !s.contains("{{")) {
          urls.add(s);
        } else {
          collectRepoUrls(e.getValue(), urls);
        }
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collectRepoUrls(v, urls));
    }
  }

  private static String firstNonEmpty(String a, String b) {
    return a != null && !a.isEmpty() ? a : b;
  }
}
