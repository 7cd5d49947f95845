package dev.flotilla.controlplane.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.core.project.ProjectPolicy;
import dev.flotilla.core.project.ProjectResourceRules;
import dev.flotilla.core.project.ResourceRules;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.ProjectRoles;
import dev.flotilla.core.rbac.Resources;
import dev.flotilla.core.selector.LabelSelector;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;

/**
 * AppProjects for every entry point: a change takes effect everywhere at once (regeneration and
 * re-dispatch), and a project in use cannot be deleted.
 */
public final class ProjectCatalog {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProjectRepository projects;
  private final ApplicationRepository applications;
  private final ApplicationSetController controller;
  private final AgentDispatcher dispatcher;
  private final Audit audit;
  private final AccessControl access;
  private final WorkerExecutor parsers;

  /**
   * @param parsers where documents are parsed: a bounded document still costs too much CPU for an
   *     event loop
   */
  public ProjectCatalog(
      ProjectRepository projects,
      ApplicationRepository applications,
      ApplicationSetController controller,
      AgentDispatcher dispatcher,
      Audit audit,
      AccessControl access,
      WorkerExecutor parsers) {
    this.projects = projects;
    this.applications = applications;
    this.controller = controller;
    this.dispatcher = dispatcher;
    this.audit = audit;
    this.access = access;
    this.parsers = parsers;
  }

  public static String nameOf(JsonObject document) {
    return document.getJsonObject("metadata", new JsonObject()).getString("name", "");
  }

  /**
   * Validates and stores an AppProject document (YAML or JSON); returns the stored document.
   * Creating needs {@code projects, create, <name>}; changing one needs {@code update} on it,
   * whether the change narrows or widens it (roles, repositories, destinations, kinds). Nothing
   * stored changes when the document or a role in it is invalid.
   */
  public Future<JsonObject> apply(Caller caller, String text, String expectedName) {
    return parsers
        .executeBlocking(() -> parse(text), false)
        .compose(document -> apply(caller, document, expectedName));
  }

  private static JsonObject parse(String text) {
    try {
      ApiException.requireSize("document", text);
      JsonObject document = AppProjectParser.parse(text == null ? "" : text);
      ProjectRoles.fromAppProject(JSON.readTree(document.encode())).requireValid();
      return document;
    } catch (IllegalArgumentException | IOException e) {
      throw ApiException.invalid(e.getMessage());
    }
  }

  private Future<JsonObject> apply(Caller caller, JsonObject document, String expectedName) {
    String name = nameOf(document);
    if (expectedName != null && !expectedName.equals(name)) {
      return Future.failedFuture(
          ApiException.invalid(
              "metadata.name '" + name + "' does not match the URL ('" + expectedName + "')"));
    }
    return projects
        .get(name)
        .compose(
            existing ->
                audit.record(
                    caller,
                    existing.isPresent() ? Actions.UPDATE : Actions.CREATE,
                    Resources.PROJECTS,
                    name,
                    null,
                    () -> {
                      Guard.requireAllowed(
                          caller,
                          Resources.PROJECTS,
                          existing.isPresent() ? Actions.UPDATE : Actions.CREATE,
                          name);
                      return requireNotAChild(caller, name)
                          .compose(v -> store(name, document))
                          .onSuccess(v -> access.invalidate())
                          // Narrowing a project takes effect everywhere at once: regenerate and
                          // re-dispatch.
                          .compose(
                              v -> controller.reconcileAll().recover(e -> Future.succeededFuture()))
                          .compose(v -> dispatcher.everyClusterChanged())
                          .map(document);
                    }));
  }

  /**
   * Stores the document. Resource rules and destinations travel inside each assignment (the agent
   * checks kinds and object namespaces), so when the project's resource lists or destinations
   * change, its Applications get new generations in the same transaction: the re-dispatch that
   * follows sends them again and agents (which drop a generation they hold) take the new rules.
   * Unchanged lists re-send nothing.
   */
  private Future<Void> store(String name, JsonObject document) {
    ResourceRules rules = rulesOf(name, document);
    List<ProjectPolicy.Destination> destinations = destinationsOf(document);
    return applications
        .pool()
        .withTransaction(
            tx ->
                projects
                    .getForUpdate(tx, name)
                    .compose(
                        previous -> {
                          // An undefined project has neither (the default one permits everything,
                          // sent as rules without destinations), so defining it always re-sends.
                          ResourceRules before =
                              previous
                                  .map(d -> rulesOf(name, d))
                                  .orElse(
                                      name.equals(ProjectGate.DEFAULT_PROJECT)
                                          ? ResourceRules.allowAll(ProjectGate.DEFAULT_PROJECT)
                                          : null);
                          List<ProjectPolicy.Destination> destinationsBefore =
                              previous.map(ProjectCatalog::destinationsOf).orElse(null);
                          Future<Void> stored = projects.upsert(tx, name, document);
                          return rules.equals(before) && destinations.equals(destinationsBefore)
                              ? stored
                              : stored
                                  .compose(v -> applications.bumpGenerationsOfProject(tx, name))
                                  .mapEmpty();
                        }));
  }

  private static ResourceRules rulesOf(String name, JsonObject document) {
    JsonObject spec = document.getJsonObject("spec", new JsonObject());
    return ProjectResourceRules.of(name, ProjectGate.toNode(spec.encode()));
  }

  private static List<ProjectPolicy.Destination> destinationsOf(JsonObject document) {
    return ProjectPolicy.fromAppProject(ProjectGate.toNode(document.encode())).destinations();
  }

  public Future<JsonObject> get(Caller caller, String name) {
    return find(name)
        .map(
            p -> {
              Guard.requireVisible(caller, Resources.PROJECTS, name, "project", name);
              return p;
            });
  }

  private Future<JsonObject> find(String name) {
    return projects
        .get(name)
        .compose(
            p ->
                p.map(Future::succeededFuture)
                    .orElseGet(() -> Future.failedFuture(ApiException.notFound("project", name))));
  }

  /** The projects the caller may see whose labels match, in name order, one page. */
  public Future<Page<JsonObject>> list(Caller caller, LabelSelector labels, PageRequest page) {
    return projects
        .list()
        .map(
            all ->
                page.apply(
                    all.stream()
                        .filter(p -> caller.sees(Resources.PROJECTS, nameOf(p)))
                        .filter(p -> labels.matches(LabelSelectors.labelsOf(p)))
                        .sorted(Comparator.comparing(ProjectCatalog::nameOf))
                        .toList(),
                    ProjectCatalog::nameOf));
  }

  public Future<Void> delete(Caller caller, String name) {
    return audit.record(
        caller,
        Actions.DELETE,
        Resources.PROJECTS,
        name,
        null,
        () ->
            find(name)
                .compose(
                    found -> {
                      Guard.require(
                          caller, Resources.PROJECTS, Actions.DELETE, name, "project", name);
                      return requireNotAChild(caller, name).compose(v -> deleteUnused(name));
                    }));
  }

  /**
   * A child of an App of Apps parent changes only through its parent's Git (by the system, which
   * carries the parent out); by hand it would be reverted, or would let a team edit what its
   * project could not create.
   */
  private Future<Void> requireNotAChild(Caller caller, String name) {
    if (caller == Caller.SYSTEM) {
      return Future.succeededFuture();
    }
    return projects
        .parentOf(name)
        .compose(
            parent ->
                parent.isEmpty()
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        new ApiException(
                            ApiException.Kind.PRECONDITION,
                            "AppProject '"
                                + name
                                + "' is a child of Application '"
                                + parent.get()
                                + "' (App of Apps): change or remove it in the Git repository the"
                                + " parent reads")));
  }

  private Future<Void> deleteUnused(String name) {
    return applications
        .listAll()
        .compose(
            apps -> {
              long using = apps.stream().filter(a -> name.equals(a.project())).count();
              if (using > 0) {
                return Future.failedFuture(
                    new ApiException(
                        ApiException.Kind.PRECONDITION,
                        "project '"
                            + name
                            + "' is used by "
                            + using
                            + " Application(s); move or delete them first"));
              }
              return projects
                  .delete(name)
                  .onSuccess(v -> access.invalidate())
                  .compose(
                      deleted ->
                          deleted
                              ? Future.<Void>succeededFuture()
                              : Future.failedFuture(ApiException.notFound("project", name)));
            });
  }
}
