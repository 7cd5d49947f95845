package dev.flotilla.controlplane.application;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.access.Guard;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.core.model.ApplicationManifest;
import dev.flotilla.core.project.ApplicationPlacement;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applications written by hand, from Argo CD {@code Application} manifests ({@code app create -f},
 * {@code app apply}, {@code app set}, {@code app delete}), for every entry point, with permission
 * checks and the audit record in one place. They get the same AppProject check, RBAC and dispatch
 * as generated ones; one an ApplicationSet owns is refused (see {@link ApplicationOwnership}). A
 * manifest that is refused (invalid, forbidden by its project) changes nothing that was stored.
 */
public final class ApplicationManifests {

  private static final Logger LOG = LoggerFactory.getLogger(ApplicationManifests.class);

  /** What a write did, in kubectl's words. */
  public enum Outcome {
    CREATED,
    CONFIGURED,
    UNCHANGED;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** How a manifest is written. */
  enum Mode {
    /** Create; an existing different Application is a conflict. */
    CREATE,
    /** Create or replace ({@code --upsert}, {@code apply}). */
    APPLY,
    /** Replace an existing one only ({@code patch}). */
    REPLACE
  }

  /** The result of a write: the Application as stored now. */
  public record Applied(Outcome outcome, StoredApplication application) {
    public JsonObject toJson() {
      return new JsonObject()
          .put("name", application.name())
          .put("result", outcome.word())
          .put("project", application.project())
          .put("cluster", application.cluster())
          .put("dispatchError", application.dispatchError())
          .put("document", application.document());
    }
  }

  private final StandaloneApplicationRepository store;
  private final ClusterRepository clusters;
  private final ProjectGate projects;
  private final AgentDispatcher dispatcher;
  private final ApplicationEvents events;
  private final Audit audit;
  private final WorkerExecutor documents;

  /**
   * @param documents where manifests are checked: a bounded document still costs CPU an event loop
   *     must not spend
   */
  public ApplicationManifests(
      StandaloneApplicationRepository store,
      ClusterRepository clusters,
      ProjectGate projects,
      AgentDispatcher dispatcher,
      ApplicationEvents events,
      Audit audit,
      WorkerExecutor documents) {
    this.store = store;
    this.clusters = clusters;
    this.projects = projects;
    this.dispatcher = dispatcher;
    this.events = events;
    this.audit = audit;
    this.documents = documents;
  }

  /**
   * Creates an Application from a manifest. One that exists unchanged is no error (as {@code argocd
   * app create}); one that exists and differs is a conflict unless {@code upsert}.
   */
  public Future<Applied> create(Caller caller, JsonObject manifest, boolean upsert) {
    return read(manifest).compose(m -> write(caller, m, upsert ? Mode.APPLY : Mode.CREATE));
  }

  /**
   * Creates or replaces the Application (declarative apply).
   *
   * @param expectedName the name in the URL, if any: the manifest must carry the same one
   */
  public Future<Applied> apply(Caller caller, JsonObject manifest, String expectedName) {
    return read(manifest)
        .compose(
            m -> {
              if (expectedName != null && !expectedName.equals(m.name())) {
                return Future.failedFuture(
                    ApiException.invalid(
                        "metadata.name '"
                            + m.name()
                            + "' does not match the URL ('"
                            + expectedName
                            + "')"));
              }
              return write(caller, m, Mode.APPLY);
            });
  }

  /**
   * Changes an Application by a JSON merge patch (RFC 7386) of its manifest, as {@code argocd app
   * set} and {@code app patch --type merge} do; the result is checked as any manifest.
   */
  public Future<Applied> patch(Caller caller, String name, JsonObject mergePatch) {
    return store
        .find(name)
        .compose(
            found -> {
              if (found.isEmpty()
                  || !caller.sees(Resources.APPLICATIONS, ManifestDocuments.object(found.get()))) {
                return audit.record(
                    caller,
                    Actions.UPDATE,
                    Resources.APPLICATIONS,
                    found.map(ManifestDocuments::object).orElse(name),
                    null,
                    () -> Future.failedFuture(ApiException.notFound("application", name)));
              }
              StoredApplication existing = found.get();
              Optional<ApiException> owned = ApplicationOwnership.refusal(existing, "changed");
              if (owned.isPresent()) {
                return audit.record(
                    caller,
                    Actions.UPDATE,
                    Resources.APPLICATIONS,
                    ManifestDocuments.object(existing),
                    null,
                    () -> Future.failedFuture(owned.get()));
              }
              JsonObject patched = MergePatch.apply(existing.document(), mergePatch);
              return read(patched)
                  .compose(
                      m -> {
                        if (!name.equals(m.name())) {
                          return Future.failedFuture(
                              ApiException.invalid(
                                  "metadata.name: cannot be changed (it is the Application's"
                                      + " identity)"));
                        }
                        return write(caller, m, Mode.REPLACE);
                      });
            });
  }

  /**
   * Deletes an Application created by hand. With {@code cascade} (the default, as {@code argocd app
   * delete}) its agent deletes its resources from the cluster; without, it leaves them there. A
   * choice that differs from what its agent was last told (its resources finalizer) is sent to the
   * agent before the deletion, so the agent must be connected then.
   *
   * @param cascade null for the default (true)
   */
  public Future<Boolean> delete(Caller caller, String name, Boolean cascade) {
    boolean prune = cascade == null || cascade;
    return store
        .find(name)
        .compose(
            found -> {
              String obj = found.map(ManifestDocuments::object).orElse(name);
              return audit.record(
                  caller,
                  Actions.DELETE,
                  Resources.APPLICATIONS,
                  obj,
                  new JsonObject().put("cascade", prune),
                  () -> {
                    if (found.isEmpty()) {
                      return Future.failedFuture(ApiException.notFound("application", name));
                    }
                    Guard.require(
                        caller, Resources.APPLICATIONS, Actions.DELETE, obj, "application", name);
                    ApplicationOwnership.requireByHand(found.get(), "deleted");
                    return tellCascade(found.get(), prune).compose(v -> remove(name));
                  });
            });
  }

  /** Sends the cascade choice to the agent first when it differs from what the agent holds. */
  private Future<Void> tellCascade(StoredApplication app, boolean prune) {
    if (app.cluster() == null || app.deleteResourcesOnRemoval() == prune) {
      return Future.succeededFuture();
    }
    if (!dispatcher.isConnected(app.cluster())) {
      return Future.failedFuture(
          new ApiException(
              ApiException.Kind.UNAVAILABLE,
              "the agent of cluster '"
                  + app.cluster()
                  + "' is not connected: a delete "
                  + (prune ? "with" : "without")
                  + " cascade must reach it before the Application goes (it was last told to "
                  + (app.deleteResourcesOnRemoval() ? "delete" : "keep")
                  + " the resources); try again when it is connected"));
    }
    StoredApplication flipped =
        new StoredApplication(
            app.name(),
            null,
            app.project(),
            app.cluster(),
            ManifestDocuments.withFinalizer(app.document(), prune),
            app.revision(),
            app.generation(),
            app.dispatchError(),
            prune);
    return store.replace(flipped).compose(v -> dispatcher.clustersChanged(List.of(app.cluster())));
  }

  private Future<Boolean> remove(String name) {
    return store
        .delete(name)
        .compose(
            gone -> {
              if (gone.isEmpty()) {
                return Future.failedFuture(ApiException.notFound("application", name));
              }
              events.changed(name);
              return tell(gone.get().cluster(), null).map(true);
            });
  }

  /** Reads a manifest (or a merge patch) sent as text, YAML or JSON, on a worker (gRPC). */
  public Future<JsonObject> parseText(String text) {
    return documents.executeBlocking(() -> ManifestDocuments.parseText(text), false);
  }

  private Future<ApplicationManifest> read(JsonObject manifest) {
    return documents.executeBlocking(() -> ManifestDocuments.parse(manifest), false);
  }

  private Future<Applied> write(Caller caller, ApplicationManifest m, Mode mode) {
    String name = m.name();
    String object = Guard.inProject(m.application().project(), name);
    Future<Optional<StoredApplication>> existing = store.find(name);
    Future<List<Cluster>> registered = clusters.list();
    Future<ProjectGate.Policies> policies = projects.load();
    return Future.all(existing, registered, policies)
        .compose(
            loaded -> {
              Optional<StoredApplication> old = existing.result();
              String target = old.map(ManifestDocuments::object).orElse(object);
              return audit.record(
                  caller,
                  old.isPresent() ? Actions.UPDATE : Actions.CREATE,
                  Resources.APPLICATIONS,
                  target,
                  new JsonObject().put("mode", mode.name().toLowerCase(java.util.Locale.ROOT)),
                  () -> {
                    StoredApplication next =
                        decide(caller, m, mode, old, registered.result(), policies.result());
                    if (old.isPresent() && ManifestDocuments.sameContent(old.get(), next)) {
                      return Future.succeededFuture(new Applied(Outcome.UNCHANGED, old.get()));
                    }
                    return store(next, old);
                  });
            });
  }

  /**
   * The checks, in the order that leaks nothing: an Application the caller may not see is refused
   * as any create would be; then ownership, conflict, permission, project.
   */
  private StoredApplication decide(
      Caller caller,
      ApplicationManifest m,
      Mode mode,
      Optional<StoredApplication> old,
      List<Cluster> registered,
      ProjectGate.Policies policies) {
    String name = m.name();
    String object = Guard.inProject(m.application().project(), name);
    if (old.isEmpty()) {
      if (mode == Mode.REPLACE) {
        throw ApiException.notFound("application", name);
      }
      Guard.requireAllowed(caller, Resources.APPLICATIONS, Actions.CREATE, object);
    } else {
      String target = ManifestDocuments.object(old.get());
      if (!caller.sees(Resources.APPLICATIONS, target)) {
        throw mode == Mode.REPLACE
            ? ApiException.hidden("application", name)
            : Guard.refusal(caller, Resources.APPLICATIONS, Actions.CREATE, object);
      }
      ApplicationOwnership.requireByHand(old.get(), "changed");
      if (mode == Mode.CREATE) {
        // A create never changes what exists (a different one is a conflict below), so creating
        // the same again needs only create, as in Argo CD.
        Guard.requireAllowed(caller, Resources.APPLICATIONS, Actions.CREATE, object);
      } else {
        Guard.requireAllowed(caller, Resources.APPLICATIONS, Actions.UPDATE, target);
        Guard.requireAllowed(caller, Resources.APPLICATIONS, Actions.UPDATE, object);
      }
    }
    ApplicationPlacement placement = ApplicationPlacement.of(name, m.application().spec());
    policies
        .violation(placement)
        .ifPresent(
            v -> {
              throw ApiException.invalid("application '" + name + "' is not permitted: " + v);
            });
    StoredApplication next = ManifestDocuments.toStored(m, old.orElse(null), registered);
    if (mode == Mode.CREATE && old.isPresent() && !ManifestDocuments.sameContent(old.get(), next)) {
      throw new ApiException(
          ApiException.Kind.EXISTS,
          "application '"
              + name
              + "' already exists and differs from the manifest: use --upsert (or `flotilla app"
              + " apply`) to replace it");
    }
    return next;
  }

  private Future<Applied> store(StoredApplication next, Optional<StoredApplication> old) {
    Future<Optional<StoredApplication>> written =
        old.isPresent() ? store.replace(next) : store.insert(next);
    return written.compose(
        stored -> {
          if (stored.isEmpty()) {
            // Created, deleted or generated by someone else between the read and the write.
            return store
                .find(next.name())
                .compose(
                    now -> {
                      if (now.isPresent()) {
                        ApplicationOwnership.requireByHand(now.get(), "changed");
                      }
                      return Future.failedFuture(
                          new ApiException(
                              ApiException.Kind.PRECONDITION,
                              "application '"
                                  + next.name()
                                  + "' was changed by someone else meanwhile; try again"));
                    });
          }
          StoredApplication s = stored.get();
          events.changed(s.name());
          return tell(s.cluster(), old.map(StoredApplication::cluster).orElse(null))
              .map(new Applied(old.isPresent() ? Outcome.CONFIGURED : Outcome.CREATED, s));
        });
  }

  /** Brings the agents concerned up to date; the write stands even if one cannot be told now. */
  private Future<Void> tell(String cluster, String previous) {
    List<String> affected = new ArrayList<>();
    if (cluster != null) {
      affected.add(cluster);
    }
    if (previous != null && !previous.equals(cluster)) {
      affected.add(previous);
    }
    return dispatcher
        .clustersChanged(affected)
        .onFailure(e -> LOG.warn("could not tell agents of {} yet: {}", affected, e.toString()))
        .otherwiseEmpty();
  }
}
