package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.controlplane.rbac.Actions;
import dev.flotilla.controlplane.rbac.Resources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Reading Applications and acting on them (sync, rollback, refresh) for every entry point, with the
 * permission checks and the audit record in one place. An Application the caller may not {@code
 * get} is answered exactly like one that does not exist.
 */
public final class ApplicationActions {

  private final ApplicationRepository applications;
  private final AgentDispatcher dispatcher;
  private final RevisionPoller poller;
  private final Audit audit;

  public ApplicationActions(
      ApplicationRepository applications,
      AgentDispatcher dispatcher,
      RevisionPoller poller,
      Audit audit) {
    this.applications = applications;
    this.dispatcher = dispatcher;
    this.poller = poller;
    this.audit = audit;
  }

  public ApplicationRepository repository() {
    return applications;
  }

  /** The policy object of an Application: {@code <project>/<name>}. */
  public static String object(ApplicationView app) {
    return Guard.inProject(app.project(), app.name());
  }

  /** The Applications the caller may see that match {@code filter}, in name order, one page. */
  public Future<Page<ApplicationView>> list(
      Caller caller, ApplicationFilter filter, PageRequest page) {
    return applications
        .listViews(null)
        .map(
            views ->
                page.apply(
                    views.stream()
                        .filter(v -> caller.sees(Resources.APPLICATIONS, object(v)))
                        .filter(filter::matches)
                        .sorted(Comparator.comparing(ApplicationView::name))
                        .toList(),
                    ApplicationView::name));
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
    String target = revision == null ? "" : revision;
    String action = target.isEmpty() ? Actions.SYNC : Actions.ROLLBACK;
    JsonObject details = target.isEmpty() ? null : new JsonObject().put("revision", target);
    return act(caller, action, name, details, app -> requestSync(app, target));
  }

  private Future<Void> requestSync(ApplicationView app, String target) {
    String name = app.name();
    if (app.cluster() == null || app.dispatchError() != null) {
      return Future.failedFuture(
          new ApiException(
              ApiException.Kind.PRECONDITION,
              "application '" + name + "' cannot be dispatched: " + app.dispatchError()));
    }
    if (!target.isEmpty() && app.automated()) {
      // As in Argo CD: automated sync would undo a rollback at once.
      return Future.failedFuture(
          new ApiException(
              ApiException.Kind.PRECONDITION,
              "application '"
                  + name
                  + "' has automated sync; disable it (remove syncPolicy.automated) before"
                  + " rolling back to "
                  + target));
    }
    if (!dispatcher.requestSync(app.cluster(), name, target)) {
      return Future.failedFuture(
          new ApiException(
              ApiException.Kind.UNAVAILABLE,
              "the agent of cluster '" + app.cluster() + "' is not connected"));
    }
    return Future.succeededFuture();
  }

  /**
   * Re-resolves Git now and has the agent compare again; applies only what automated sync would, so
   * seeing the Application is enough.
   *
   * @return whether the agent was told (false when it is not connected; Git is re-read anyway)
   */
  public Future<Boolean> refresh(Caller caller, String name) {
    return get(caller, name)
        .map(
            app -> {
              poller.pollSoon();
              return app.cluster() != null && dispatcher.requestRefresh(app.cluster(), name);
            });
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
