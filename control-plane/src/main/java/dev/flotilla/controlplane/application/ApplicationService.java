package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reading Applications and acting on them (sync, rollback, refresh) for every entry point, with the
 * permission checks and the audit record in one place. An Application the caller may not {@code
 * get} is answered exactly like one that does not exist.
 */
public final class ApplicationService {

  /** Most rows one list query reads; a page whose rows are mostly hidden reads several. */
  static final int MAX_BATCH = 1000;

  /** Shortest revision prefix rollback accepts, as git's abbreviated SHAs. */
  static final int MIN_SHA_PREFIX = 7;

  private final ApplicationRepository applications;
  private final AgentDispatcher dispatcher;
  private final RevisionPoller poller;
  private final Audit audit;
  private final ProjectGate projects;
  private final Clock clock;

  /**
   * @param clock what "now" is for sync windows
   */
  public ApplicationService(
      ApplicationRepository applications,
      AgentDispatcher dispatcher,
      RevisionPoller poller,
      Audit audit,
      ProjectGate projects,
      Clock clock) {
    this.applications = applications;
    this.dispatcher = dispatcher;
    this.poller = poller;
    this.audit = audit;
    this.projects = projects;
    this.clock = clock;
  }

  public ApplicationRepository repository() {
    return applications;
  }

  /** The policy object of an Application: {@code <project>/<name>}. */
  public static String object(ApplicationView app) {
    return Guard.inProject(app.project(), app.name());
  }

  /**
   * The Applications the caller may see that match {@code filter}, in name order, one page. The
   * filters, order and bound are applied in SQL; visibility (policy globs) is decided here, so
   * pages are read in batches until this one is full and one more visible Application shows whether
   * there is a next page: a caller never gets a short page while more exist, nor a token when none
   * do, nor anything it may not see.
   */
  public Future<Page<ApplicationView>> list(
      Caller caller, ApplicationFilter filter, PageRequest page) {
    return collect(
        caller, filter, page.size(), page.after(), new ArrayList<>(), firstBatch(page.size()));
  }

  private static int firstBatch(int size) {
    return (int) Math.min((long) size + 1, MAX_BATCH);
  }

  private Future<Page<ApplicationView>> collect(
      Caller caller,
      ApplicationFilter filter,
      int size,
      String after,
      List<ApplicationView> items,
      int batch) {
    return applications
        .page(filter, after, batch)
        .compose(
            rows -> {
              for (ApplicationView v : rows) {
                if (!caller.sees(Resources.APPLICATIONS, object(v)) || !filter.matches(v)) {
                  continue;
                }
                if (items.size() == size) {
                  return Future.succeededFuture(
                      new Page<>(items, items.get(items.size() - 1).name()));
                }
                items.add(v);
              }
              if (rows.size() < batch) {
                return Future.succeededFuture(new Page<>(items, ""));
              }
              // Hidden rows filled the batch: read on, in larger batches.
              return collect(
                  caller,
                  filter,
                  size,
                  rows.get(rows.size() - 1).name(),
                  items,
                  Math.min(batch * 2, MAX_BATCH));
            });
  }

  /** The named Application as the caller may see it: empty when missing or hidden. */
  public Future<List<ApplicationView>> visible(Caller caller, String name) {
    return applications
        .listViews(name)
        .map(
            views ->
                views.stream()
                    .filter(v -> caller.sees(Resources.APPLICATIONS, object(v)))
                    .toList());
  }

  public Future<ApplicationView> get(Caller caller, String name) {
    return find(name)
        .map(
            app -> {
              Guard.requireVisible(
                  caller, Resources.APPLICATIONS, object(app), "application", name);
              return app;
            });
  }

  private Future<ApplicationView> find(String name) {
    return applications
        .listViews(name)
        .compose(
            views ->
                views.isEmpty()
                    ? Future.failedFuture(ApiException.notFound("application", name))
                    : Future.succeededFuture(views.get(0)));
  }

  /**
   * Asks the agent to apply now. With a revision it deploys that commit instead of what Git's
   * branch says, which is a rollback (or roll-forward) and needs the {@code rollback} permission.
   */
  public Future<Void> sync(Caller caller, String name, String revision) {
    return sync(caller, name, revision, false);
  }

  /**
   * The same; {@code prune}: this one sync deletes what the Application owns and no longer renders
   * even when its policy does not prune ({@code argocd app sync --prune}).
   */
  public Future<Void> sync(Caller caller, String name, String revision, boolean prune) {
    String target = revision == null ? "" : revision;
    String action = target.isEmpty() ? Actions.SYNC : Actions.ROLLBACK;
    JsonObject details = target.isEmpty() ? null : new JsonObject().put("revision", target);
    if (prune) {
      details = (details == null ? new JsonObject() : details).put("prune", true);
    }
    return act(
        caller,
        action,
        name,
        details,
        app -> {
          ApiException refused = refusal(app, target);
          return refused != null
              ? Future.failedFuture(refused)
              : dispatch(app, HistoryEntry.SYNC, target, caller, null, prune);
        });
  }

  /**
   * Stops the Application's running sync operation (Argo CD's {@code app terminate-op}): the agent
   * ends it as Failed and applies that target no more until a newer commit or a requested sync.
   * Needs the {@code sync} permission; audited.
   */
  public Future<Void> terminateOperation(Caller caller, String name) {
    return act(
        caller,
        Actions.SYNC,
        name,
        new JsonObject().put("operation", "terminate"),
        app -> {
          JsonObject op = app.operation();
          if (op == null || !SyncOperation.running(op.getString("phase"))) {
            return Future.failedFuture(
                new ApiException(
                    ApiException.Kind.PRECONDITION,
                    "application '"
                        + name
                        + "' has no sync operation running"
                        + (op == null ? "" : " (the last one " + op.getString("phase") + ")")));
          }
          Future<Boolean> told =
              app.cluster() == null
                  ? Future.succeededFuture(false)
                  : dispatcher.requestTermination(app.cluster(), name);
          return told.compose(
              connected ->
                  connected
                      ? applications.operations().markTerminating(name).<Void>mapEmpty()
                      : Future.failedFuture(
                          new ApiException(
                              ApiException.Kind.UNAVAILABLE,
                              "the agent of cluster '" + app.cluster() + "' is not connected")));
        });
  }

  /** Every sync operation's result, newest first; seeing the Application is enough. */
  public Future<List<JsonObject>> operations(Caller caller, String name) {
    return get(caller, name).compose(app -> applications.operations().list(name));
  }

  /** The Application's deployments, oldest first; seeing the Application is enough. */
  public Future<List<HistoryEntry>> history(Caller caller, String name) {
    return get(caller, name).compose(app -> applications.history().list(name));
  }

  /**
   * Has the agent go back to a deployment from the history (Argo CD's {@code app rollback}): the
   * entry {@code id}, else the newest entry whose revision is or starts with {@code revision}, else
   * the entry before the newest.
   *
   * @return the entry rolled back to
   */
  public Future<HistoryEntry> rollback(Caller caller, String name, Long id, String revision) {
    if (id != null && revision != null) {
      return Future.failedFuture(
          ApiException.invalid("give either id or revision to roll back to, not both"));
    }
    if (revision != null && revision.isBlank()) {
      return Future.failedFuture(ApiException.invalid("revision: must not be empty"));
    }
    JsonObject details = new JsonObject();
    if (id != null) {
      details.put("id", id);
    }
    if (revision != null) {
      details.put("revision", revision);
    }
    return act(
        caller,
        Actions.ROLLBACK,
        name,
        details,
        app -> {
          ApiException refused = refusal(app, "a previous deployment");
          if (refused != null) {
            return Future.failedFuture(refused);
          }
          return applications
              .history()
              .list(name)
              .compose(
                  entries -> {
                    HistoryEntry target = choose(name, entries, id, revision);
                    return dispatch(
                            app,
                            HistoryEntry.ROLLBACK,
                            target.revision(),
                            caller,
                            target.id(),
                            false)
                        .map(target);
                  });
        });
  }

  private static HistoryEntry choose(
      String name, List<HistoryEntry> entries, Long id, String revision) {
    if (entries.isEmpty()) {
      throw new ApiException(
          ApiException.Kind.PRECONDITION,
          "application '" + name + "' has no deployment history yet: nothing to roll back to");
    }
    if (id != null) {
      return entries.stream()
          .filter(e -> e.id() == id)
          .findFirst()
          .orElseThrow(
              () ->
                  ApiException.invalid(
                      "id: application '"
                          + name
                          + "' has no history entry "
                          + id
                          + " (see `flotilla app history "
                          + name
                          + "`)"));
    }
    if (revision != null) {
      String wanted = revision.trim().toLowerCase(Locale.ROOT);
      if (wanted.length() < MIN_SHA_PREFIX) {
        throw ApiException.invalid(
            "revision: give at least " + MIN_SHA_PREFIX + " characters of the commit SHA");
      }
      for (int i = entries.size() - 1; i >= 0; i--) {
        if (entries.get(i).revision().toLowerCase(Locale.ROOT).startsWith(wanted)) {
          return entries.get(i);
        }
      }
      throw ApiException.invalid(
          "revision: '"
              + revision
              + "' is not in the deployment history of application '"
              + name
              + "' (to deploy any commit use sync with a revision)");
    }
    if (entries.size() < 2) {
      throw new ApiException(
          ApiException.Kind.PRECONDITION,
          "application '"
              + name
              + "' has only one deployment in its history: nothing before it to roll back to");
    }
    return entries.get(entries.size() - 2);
  }

  /** Why the Application cannot be synced to {@code target} now, or null. */
  private static ApiException refusal(ApplicationView app, String target) {
    if (app.cluster() == null || app.dispatchError() != null) {
      return new ApiException(
          ApiException.Kind.PRECONDITION,
          "application '" + app.name() + "' cannot be dispatched: " + app.dispatchError());
    }
    if (!target.isEmpty() && app.automated()) {
      // As in Argo CD: automated sync would undo a rollback at once.
      return new ApiException(
          ApiException.Kind.PRECONDITION,
          "application '"
              + app.name()
              + "' has automated sync; disable it (remove syncPolicy.automated) before"
              + " rolling back to "
              + target);
    }
    return null;
  }

  /**
   * The sync window that decides for {@code app} now, in words (the evaluation that blocks syncs);
   * empty when no window applies.
   */
  public Future<Optional<SyncWindowNote>> syncWindow(ApplicationView app) {
    return projects
        .load()
        .map(
            policies ->
                policies
                    .syncWindowsError(app.project())
                    .map(SyncWindowNote::invalid)
                    .or(
                        () ->
                            policies
                                .syncWindow(
                                    app.project(),
                                    app.name(),
                                    app.cluster(),
                                    app.spec(),
                                    clock.instant())
                                .map(SyncWindowNote::of)));
  }

  /** The Application as REST's GET shows it: {@link #get} with its sync window, if one applies. */
  public Future<JsonObject> describe(Caller caller, String name) {
    return get(caller, name)
        .compose(
            app ->
                syncWindow(app)
                    .map(
                        window -> {
                          JsonObject json = app.toJson();
                          window.ifPresent(w -> json.put("syncWindow", w.toJson()));
                          return json;
                        }));
  }

  /**
   * The check every manual sync (sync and rollback) passes before it reaches the agent: the
   * project's sync windows must let a manual sync through now.
   */
  Future<Void> requireManualSyncWindow(ApplicationView app) {
    return projects
        .load()
        .compose(
            policies ->
                policies
                    .manualSyncRefusal(
                        app.project(), app.name(), app.cluster(), app.spec(), clock.instant())
                    .map(
                        reason ->
                            Future.<Void>failedFuture(
                                new ApiException(
                                    ApiException.Kind.PRECONDITION,
                                    "application '" + app.name() + "': " + reason)))
                    .orElseGet(Future::succeededFuture));
  }

  /**
   * Remembers who asked before telling the agent, so that its report cannot overtake the record the
   * history entry is credited from; forgets it again when the agent is away.
   */
  private Future<Void> dispatch(
      ApplicationView app,
      String operation,
      String revision,
      Caller caller,
      Long rollbackOf,
      boolean prune) {
    ApplicationHistoryRepository history = applications.history();
    return requireManualSyncWindow(app)
        .compose(
            open ->
                history.requestOperation(
                    app.name(), operation, revision, caller.name(), rollbackOf))
        .compose(v -> dispatcher.requestSync(app.cluster(), app.name(), revision, prune))
        .compose(
            told -> {
              if (told) {
                return Future.succeededFuture();
              }
              ApiException away =
                  new ApiException(
                      ApiException.Kind.UNAVAILABLE,
                      "the agent of cluster '" + app.cluster() + "' is not connected");
              return history
                  .cancelOperation(app.name(), operation, revision)
                  .transform(ignored -> Future.failedFuture(away));
            });
  }

  /**
   * Re-resolves Git and has the agent compare again; applies only what automated sync would, so
   * seeing the Application is enough. A hard refresh re-resolves the Application's repository
   * before it answers (so the agent is told after any new revision was dispatched) and has the
   * agent fetch and render anew, reusing no cached fetch or chart.
   *
   * @return whether the agent was told (false when it is not connected; Git is re-read anyway)
   */
  public Future<Boolean> refresh(Caller caller, String name, boolean hard) {
    return get(caller, name)
        .compose(
            app -> {
              Future<Void> resolved;
              if (hard) {
                resolved = poller.pollRepositoryNow(gitRepoUrl(app.spec()));
              } else {
                poller.pollSoon();
                resolved = Future.succeededFuture();
              }
              return resolved.compose(
                  v ->
                      app.cluster() == null
                          ? Future.succeededFuture(false)
                          : dispatcher.requestRefresh(app.cluster(), name, hard));
            });
  }

  /** The Git repository of an Application's source; "" for a chart (its agent resolves it). */
  private static String gitRepoUrl(JsonObject spec) {
    JsonObject source = spec == null ? null : spec.getJsonObject("source");
    if (source == null || !source.getString("chart", "").isEmpty()) {
      return "";
    }
    String url = source.getString("repoURL", "");
    return url.startsWith("oci://") ? "" : url;
  }

  /**
   * Runs {@code work} on the named Application once the caller may do {@code action} to it, and
   * records the attempt, whatever its outcome, in the audit log.
   */
  <T> Future<T> act(
      Caller caller,
      String action,
      String name,
      JsonObject details,
      Function<ApplicationView, Future<T>> work) {
    return find(name)
        .transform(
            found -> {
              String object = found.succeeded() ? object(found.result()) : name;
              return audit.record(
                  caller,
                  action,
                  Resources.APPLICATIONS,
                  object,
                  details,
                  () -> {
                    if (found.failed()) {
                      return Future.failedFuture(found.cause());
                    }
                    Guard.require(
                        caller, Resources.APPLICATIONS, action, object, "application", name);
                    return work.apply(found.result());
                  });
            });
  }
}
