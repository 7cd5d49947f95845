package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import io.vertx.core.Future;

/** Sync, rollback and refresh on request, with the same checks for every entry point. */
public final class ApplicationActions {

  private final ApplicationRepository applications;
  private final AgentDispatcher dispatcher;
  private final RevisionPoller poller;

  public ApplicationActions(
      ApplicationRepository applications, AgentDispatcher dispatcher, RevisionPoller poller) {
    this.applications = applications;
    this.dispatcher = dispatcher;
    this.poller = poller;
  }

  public ApplicationRepository repository() {
    return applications;
  }

  public Future<ApplicationView> get(String name) {
    return applications
        .listViews(name)
        .compose(
            views ->
                views.isEmpty()
                    ? Future.failedFuture(ApiException.notFound("application", name))
                    : Future.succeededFuture(views.get(0)));
  }

  /** Asks the agent to apply now; with a revision, to roll back or forward to that commit. */
  public Future<Void> sync(String name, String revision) {
    return get(name)
        .compose(
            app -> {
              if (app.cluster() == null || app.dispatchError() != null) {
                return Future.failedFuture(
                    new ApiException(
                        ApiException.Kind.PRECONDITION,
                        "application '" + name + "' cannot be dispatched: " + app.dispatchError()));
              }
              String target = revision == null ? "" : revision;
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
            });
  }

  /**
   * Re-resolves Git now and has the agent compare again; applies only what automated sync would.
   *
   * @return whether the agent was told (false when it is not connected; Git is re-read anyway)
   */
  public Future<Boolean> refresh(String name) {
    return get(name)
        .map(
            app -> {
              poller.pollSoon();
              return app.cluster() != null && dispatcher.requestRefresh(app.cluster(), name);
            });
  }
}
