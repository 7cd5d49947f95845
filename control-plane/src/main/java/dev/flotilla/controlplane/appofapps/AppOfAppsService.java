package dev.flotilla.controlplane.appofapps;

import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.application.ApplicationService;
import dev.flotilla.controlplane.appofapps.AppOfAppsRepository.ParentStatus;
import dev.flotilla.controlplane.appofapps.plan.ChildKey;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** A parent's children as callers may see them, and sync with prune (RBAC and audit). */
public final class AppOfAppsService {

  private final ApplicationService applications;
  private final AppOfAppsRepository repository;
  private final AppOfAppsController controller;
  private final Audit audit;

  AppOfAppsService(
      ApplicationService applications,
      AppOfAppsRepository repository,
      AppOfAppsController controller,
      Audit audit) {
    this.applications = applications;
    this.repository = repository;
    this.controller = controller;
    this.audit = audit;
  }

  /**
   * The parent's children and App of Apps conditions: {@code {"name", "children": [{"kind",
   * "name"}], "conditions": [{"type", "message"}]}}; both empty for an Application without any.
   * Needs {@code get} on the parent.
   */
  public Future<JsonObject> children(Caller caller, String name) {
    return applications.get(caller, name).compose(view -> declared(name));
  }

  /**
   * The same for a caller already shown the Application (the web UI's page read it): no second read
   * of the Application.
   */
  public Future<JsonObject> declared(String name) {
    return repository.status(name).map(status -> toJson(name, status));
  }

  /**
   * Reads the parent's manifests now and prunes the children they no longer declare (Argo CD's
   * {@code app sync --prune} for an App of Apps). Needs {@code sync} on the parent; audited.
   */
  public Future<JsonObject> syncWithPrune(Caller caller, String name) {
    return applications
        .get(caller, name)
        .compose(
            view -> {
              String object = ApplicationService.object(view);
              return audit.record(
                  caller,
                  Actions.SYNC,
                  Resources.APPLICATIONS,
                  object,
                  new JsonObject().put("prune", true),
                  () -> {
                    Guard.require(
                        caller, Resources.APPLICATIONS, Actions.SYNC, object, "application", name);
                    return controller.syncWithPrune(name);
                  });
            })
        .compose(v -> repository.status(name))
        .map(status -> toJson(name, status));
  }

  static JsonObject toJson(String name, Optional<ParentStatus> status) {
    JsonArray children = new JsonArray();
    JsonArray conditions = new JsonArray();
    status.ifPresent(
        s -> {
          for (ChildKey k : s.children()) {
            children.add(new JsonObject().put("kind", k.kind().kind()).put("name", k.name()));
          }
          conditions.addAll(s.conditions());
        });
    return new JsonObject()
        .put("name", name)
        .put("children", children)
        .put("conditions", conditions);
  }
}
