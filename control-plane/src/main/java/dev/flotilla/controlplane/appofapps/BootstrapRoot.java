package dev.flotilla.controlplane.appofapps;

import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.ApplicationRepository;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.appofapps.plan.ChildKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The root App of Apps a fresh control plane sets itself up from: an Application named {@value
 * #NAME} in project {@code default}, reading {@link BootstrapSource}, pruning automatically (what
 * is removed from Git is removed here). It is read by the control plane only and never sent to a
 * cluster: its manifests are meant to be Argo CD objects, which no cluster receives.
 */
final class BootstrapRoot {

  /** The root Application's name. */
  static final String NAME = "flotilla-bootstrap";

  static final String CONTROL_PLANE_ONLY =
      "read by the control plane only: the bootstrap root (flotilla server --bootstrap) declares"
          + " Applications, ApplicationSets and AppProjects, which no cluster receives";

  private final ApplicationRepository applications;
  private final AppOfAppsRepository repository;
  private final ApplicationEvents events;

  BootstrapRoot(
      ApplicationRepository applications,
      AppOfAppsRepository repository,
      ApplicationEvents events) {
    this.applications = applications;
    this.repository = repository;
    this.events = events;
  }

  /** The root's document for {@code source}. */
  static JsonObject document(BootstrapSource source) {
    return new JsonObject()
        .put("apiVersion", "argoproj.io/v1alpha1")
        .put("kind", "Application")
        .put(
            "metadata",
            new JsonObject()
                .put("name", NAME)
                .put("labels", new JsonObject().put("app.kubernetes.io/part-of", "flotilla")))
        .put(
            "spec",
            new JsonObject()
                .put("project", "default")
                .put(
                    "source",
                    new JsonObject()
                        .put("repoURL", source.repoUrl())
                        .put("targetRevision", source.revision())
                        .put("path", source.path()))
                .put(
                    "destination",
                    new JsonObject()
                        .put("server", "https://kubernetes.default.svc")
                        .put("namespace", "argocd"))
                .put(
                    "syncPolicy",
                    new JsonObject()
                        .put(
                            "automated",
                            new JsonObject().put("prune", true).put("selfHeal", true))));
  }

  /**
   * Stores the root; refuses when an Application of that name exists and belongs to an
   * ApplicationSet or a parent (the flag never takes over what something else owns).
   */
  Future<Void> declare(BootstrapSource source) {
    return repository
        .parentOf(ChildKind.APPLICATION, NAME)
        .compose(
            parent -> {
              if (parent.isPresent()) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "cannot bootstrap: Application '"
                            + NAME
                            + "' exists and is a child of Application '"
                            + parent.get()
                            + "'"));
              }
              StoredApplication root =
                  new StoredApplication(
                      NAME,
                      null,
                      "default",
                      null,
                      document(source),
                      "",
                      0,
                      CONTROL_PLANE_ONLY,
                      false);
              return applications.pool().withTransaction(tx -> applications.upsert(tx, root));
            })
        .recover(
            e ->
                Future.failedFuture(
                    e.getMessage() != null && e.getMessage().contains("owned by another")
                        ? new IllegalStateException(
                            "cannot bootstrap: Application '"
                                + NAME
                                + "' exists and belongs to an ApplicationSet")
                        : e))
        .map(
            stored -> {
              events.changed(NAME);
              return null;
            });
  }
}
