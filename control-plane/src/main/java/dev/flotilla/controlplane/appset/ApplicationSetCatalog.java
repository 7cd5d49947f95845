package dev.flotilla.controlplane.appset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.appset.ApplicationSetRepository.StoredApplicationSet;
import dev.flotilla.controlplane.identity.Names;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import dev.flotilla.core.selector.LabelSelector;
import dev.flotilla.generators.ApplicationSet;
import dev.flotilla.generators.ApplicationSetParser;
import dev.flotilla.generators.GenerationResult;
import dev.flotilla.generators.InvalidApplicationSetException;
import dev.flotilla.generators.TemplateProject;
import dev.flotilla.generators.TemplateProjects;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Comparator;

/**
 * ApplicationSets for every entry point, with permission checks and the audit record in one place.
 *
 * <p>An ApplicationSet belongs to the project its template names, and its policy object is {@code
 * <project>/<name>}. Creating or changing a set also needs the permission in every other project
 * its Applications can land in: a generator's own template (or a matrix or merge child's) may name
 * another, and each generated Application gets its effective template's project (see {@link
 * TemplateProjects}). The parser refuses a templated project and a {@code templatePatch} that sets
 * one, and the renderer refuses any Application whose project is not the one its template names, so
 * a team allowed in {@code team-a/*} cannot escape its project through a template.
 */
public final class ApplicationSetCatalog {

  /** Reads stored documents (ours, already checked) back into the tree the generators take. */
  private static final ObjectMapper STORED = new ObjectMapper();

  private final ApplicationSetRepository applicationSets;
  private final ApplicationSetController controller;
  private final Audit audit;
  private final WorkerExecutor parsers;

  /**
   * @param parsers where documents are parsed: a bounded document still costs too much CPU for an
   *     event loop
   */
  public ApplicationSetCatalog(
      ApplicationSetRepository applicationSets,
      ApplicationSetController controller,
      Audit audit,
      WorkerExecutor parsers) {
    this.applicationSets = applicationSets;
    this.controller = controller;
    this.audit = audit;
    this.parsers = parsers;
  }

  /** The project an ApplicationSet belongs to: the one its top-level template names. */
  public static String projectOf(JsonObject document) {
    JsonObject spec = document.getJsonObject("spec", new JsonObject());
    Object template = spec.getValue("template");
    Object project =
        template instanceof JsonObject t
            ? t.getJsonObject("spec", new JsonObject()).getValue("project")
            : null;
    return project == null ? "" : String.valueOf(project);
  }

  public static String object(String name, JsonObject document) {
    return Guard.inProject(projectOf(document), name);
  }

  /** The sets the caller may see, optionally of one project and matching labels, one page. */
  public Future<Page<StoredApplicationSet>> list(
      Caller caller, String project, LabelSelector labels, PageRequest page) {
    return applicationSets
        .list()
        .map(
            all ->
                page.apply(
                    all.stream()
                        .filter(
                            s ->
                                caller.sees(
                                    Resources.APPLICATIONSETS, object(s.name(), s.document())))
                        .filter(
                            s ->
                                project == null
                                    || project.isEmpty()
                                    || project.equals(projectOf(s.document())))
                        .filter(s -> labels.matches(LabelSelectors.labelsOf(s.document())))
                        .sorted(Comparator.comparing(StoredApplicationSet::name))
                        .toList(),
                    StoredApplicationSet::name));
  }

  public Future<StoredApplicationSet> get(Caller caller, String name) {
    return find(name)
        .map(
            s -> {
              Guard.requireVisible(
                  caller,
                  Resources.APPLICATIONSETS,
                  object(name, s.document()),
                  "applicationset",
                  name);
              return s;
            });
  }

  /**
   * Creates or replaces an ApplicationSet. Replacing needs {@code update} on the set as stored and
   * as sent (moving it to another project needs both projects); creating needs {@code create}.
   *
   * @param expectedName the name in the URL, if any: the document must carry the same one
   */
  public Future<StoredApplicationSet> apply(Caller caller, String text, String expectedName) {
    return parsers
        .executeBlocking(() -> parse(text), false)
        .compose(parsed -> apply(caller, parsed, expectedName));
  }

  private Future<StoredApplicationSet> apply(
      Caller caller, ApplicationSet parsed, String expectedName) {
    String name = parsed.name();
    if (expectedName != null && !expectedName.equals(name)) {
      return Future.failedFuture(
          ApiException.invalid(
              "metadata.name '" + name + "' does not match the URL ('" + expectedName + "')"));
    }
    JsonObject document = new JsonObject(parsed.document().toString());
    String object = object(name, document);
    return applicationSets
        .get(name)
        .compose(
            existing -> {
              // The audit names the object being changed: the stored set when there is one.
              String target = existing.map(e -> object(name, e.document())).orElse(object);
              return audit.record(
                  caller,
                  existing.isPresent() ? Actions.UPDATE : Actions.CREATE,
                  Resources.APPLICATIONSETS,
                  target,
                  null,
                  () -> {
                    if (existing.isPresent()) {
                      if (!caller.sees(Resources.APPLICATIONSETS, target)) {
                        // Names are global, so the create must fail; it fails in the words of
                        // any refused create, so that it says nothing of the hidden set.
                        throw Guard.refusal(
                            caller, Resources.APPLICATIONSETS, Actions.CREATE, object);
                      }
                      Guard.requireAllowed(
                          caller, Resources.APPLICATIONSETS, Actions.UPDATE, target);
                      Guard.requireAllowed(
                          caller, Resources.APPLICATIONSETS, Actions.UPDATE, object);
                      requireEveryProject(caller, Actions.UPDATE, parsed);
                    } else {
                      Guard.requireAllowed(
                          caller, Resources.APPLICATIONSETS, Actions.CREATE, object);
                      requireEveryProject(caller, Actions.CREATE, parsed);
                    }
                    return requireNotAChild(caller, name)
                        .compose(v -> controller.apply(parsed))
                        .compose(applied -> find(name));
                  });
            });
  }

  /**
   * Starts deleting a set and, as its policy says, the Applications it generated; returns the
   * deletion's progress at once (the work goes on in the background).
   */
  public Future<JsonObject> delete(Caller caller, String name) {
    return find(name)
        .transform(
            found -> {
              String object = found.succeeded() ? object(name, found.result().document()) : name;
              return audit.record(
                  caller,
                  Actions.DELETE,
                  Resources.APPLICATIONSETS,
                  object,
                  null,
                  () -> {
                    if (found.failed()) {
                      return Future.failedFuture(found.cause());
                    }
                    Guard.require(
                        caller,
                        Resources.APPLICATIONSETS,
                        Actions.DELETE,
                        object,
                        "applicationset",
                        name);
                    // Its Applications go too: deleting needs the right in every project they
                    // can be in, as creating did.
                    requireEveryProject(caller, Actions.DELETE, name, found.result().document());
                    return requireNotAChild(caller, name)
                        .compose(v -> controller.requestDeletion(name))
                        .compose(
                            deletion ->
                                deletion
                                    .map(Future::succeededFuture)
                                    .orElseGet(
                                        () ->
                                            Future.failedFuture(
                                                ApiException.notFound("applicationset", name))));
                  });
            });
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
    return applicationSets
        .parentOf(name)
        .compose(
            parent ->
                parent.isEmpty()
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        new ApiException(
                            ApiException.Kind.PRECONDITION,
                            "ApplicationSet '"
                                + name
                                + "' is a child of Application '"
                                + parent.get()
                                + "' (App of Apps): change or remove it in the Git repository the"
                                + " parent reads")));
  }

  /**
   * What {@code text} would generate now; stores nothing. Needs the permission to create it, since
   * it reads the same Git repositories and clusters a real one would.
   */
  public Future<GenerationResult> generate(Caller caller, String text) {
    return parsers
        .executeBlocking(() -> parse(text), false)
        .compose(
            parsed -> {
              Guard.requireAllowed(
                  caller,
                  Resources.APPLICATIONSETS,
                  Actions.CREATE,
                  object(parsed.name(), new JsonObject(parsed.document().toString())));
              requireEveryProject(caller, Actions.CREATE, parsed);
              return controller.dryRun(parsed);
            });
  }

  /**
   * Requires {@code action} on the set in every project one of its templates can place Applications
   * in; the refusal names the template field that chose the project.
   */
  private static void requireEveryProject(Caller caller, String action, ApplicationSet parsed) {
    requireEveryProject(caller, action, parsed.name(), parsed.document());
  }

  private static void requireEveryProject(
      Caller caller, String action, String name, JsonObject stored) {
    JsonNode document;
    try {
      document = STORED.readTree(stored.encode());
    } catch (IOException e) {
      throw new IllegalStateException("stored ApplicationSet " + name + " is not JSON", e);
    }
    requireEveryProject(caller, action, name, document);
  }

  private static void requireEveryProject(
      Caller caller, String action, String name, JsonNode document) {
    for (TemplateProject p : TemplateProjects.of(document)) {
      String object = Guard.inProject(p.project(), name);
      if (!caller.may(Resources.APPLICATIONSETS, action, object)) {
        throw ApiException.forbidden(
            "permission denied: '"
                + caller.name()
                + "' may not "
                + action
                + " applicationsets '"
                + object
                + "': "
                + p.location()
                + " places Applications in project '"
                + p.project()
                + "' (ask an admin for a policy line granting it)");
      }
    }
  }

  private Future<StoredApplicationSet> find(String name) {
    return applicationSets
        .get(name)
        .compose(
            found ->
                found
                    .map(Future::succeededFuture)
                    .orElseGet(
                        () -> Future.failedFuture(ApiException.notFound("applicationset", name))));
  }

  private static ApplicationSet parse(String text) {
    if (text == null || text.isBlank()) {
      throw ApiException.invalid("empty body: send an ApplicationSet as YAML or JSON");
    }
    ApiException.requireSize("document", text);
    ApplicationSet parsed;
    try {
      parsed = ApplicationSetParser.parse(text);
    } catch (InvalidApplicationSetException e) {
      throw ApiException.invalid(e.getMessage());
    }
    try {
      Names.requireDnsSubdomain("metadata.name", parsed.name());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(e.getMessage());
    }
    return parsed;
  }
}
