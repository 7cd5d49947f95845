package dev.flotilla.controlplane.appofapps;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.application.ApplicationEvents;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.appofapps.plan.AppOfAppsPlan;
import dev.flotilla.controlplane.appofapps.plan.ChildKey;
import dev.flotilla.controlplane.appofapps.plan.ChildKind;
import dev.flotilla.controlplane.appofapps.plan.DesiredChild;
import dev.flotilla.controlplane.appofapps.plan.ParentCondition;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.project.ProjectCatalog;
import dev.flotilla.controlplane.project.ProjectGate;
import dev.flotilla.core.model.Application;
import dev.flotilla.core.project.ApplicationPlacement;
import dev.flotilla.generators.ApplicationSet;
import dev.flotilla.generators.ApplicationSetParser;
import dev.flotilla.generators.InvalidApplicationSetException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Carries out an {@link AppOfAppsPlan}: AppProjects first (through the project catalog, as the
 * system, audited), then ApplicationSets (through their controller, which generates them), then
 * Applications (stored and dispatched as generated ones are); prunes in the reverse order. A step
 * that fails becomes a condition on the parent and the other children proceed.
 */
final class ChildWriter {

  /** Argo CD's finalizers that make deleting an Application delete its resources. */
  private static final Set<String> CASCADE_FINALIZERS =
      Set.of(
          "resources-finalizer.argocd.argoproj.io",
          "resources-finalizer.argocd.argoproj.io/background",
          "resources-finalizer.argocd.argoproj.io/foreground");

  private final AppOfAppsRepository repository;
  private final ProjectCatalog projects;
  private final ProjectGate gate;
  private final ApplicationSetController appSets;
  private final ClusterRepository clusters;
  private final AgentDispatcher dispatcher;
  private final ApplicationEvents events;

  ChildWriter(
      AppOfAppsRepository repository,
      ProjectCatalog projects,
      ProjectGate gate,
      ApplicationSetController appSets,
      ClusterRepository clusters,
      AgentDispatcher dispatcher,
      ApplicationEvents events) {
    this.repository = repository;
    this.projects = projects;
    this.gate = gate;
    this.appSets = appSets;
    this.clusters = clusters;
    this.dispatcher = dispatcher;
    this.events = events;
  }

  /** Carries out {@code plan}; completes with the steps that failed, each with its condition. */
  Future<Map<ChildKey, ParentCondition>> carryOut(String parent, AppOfAppsPlan plan) {
    Map<ChildKey, ParentCondition> failed = new LinkedHashMap<>();
    Set<String> affected = new TreeSet<>();
    List<DesiredChild> writes = new ArrayList<>(plan.creates());
    writes.addAll(plan.updates());
    writes.sort((a, b) -> a.key().kind().compareTo(b.key().kind()));
    Future<Void> chain = Future.succeededFuture();
    for (DesiredChild child : writes) {
      chain = chain.compose(v -> step(child.key(), () -> write(parent, child, affected), failed));
    }
    for (ChildKey key : plan.prunes()) {
      chain = chain.compose(v -> step(key, () -> prune(parent, key, affected), failed));
    }
    return chain
        .compose(v -> dispatcher.clustersChanged(affected).otherwiseEmpty())
        .map(v -> failed);
  }

  private static Future<Void> step(
      ChildKey key, Supplier<Future<Void>> work, Map<ChildKey, ParentCondition> failed) {
    Future<Void> done;
    try {
      done = work.get();
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.recover(
        e -> {
          failed.put(
              key, new ParentCondition(ParentCondition.CHILD_REFUSED, key + ": " + e.getMessage()));
          return Future.succeededFuture();
        });
  }

  private Future<Void> write(String parent, DesiredChild child, Set<String> affected) {
    String name = child.key().name();
    String text = ChildDocuments.text(child.document());
    return switch (child.key().kind()) {
      case APP_PROJECT ->
          projects
              .apply(Caller.SYSTEM, text, name)
              .compose(d -> repository.claim(ChildKind.APP_PROJECT, name, parent));
      case APPLICATION_SET ->
          appSets
              .apply(parsed(child))
              .compose(a -> repository.claim(ChildKind.APPLICATION_SET, name, parent));
      case APPLICATION -> writeApplication(parent, child, affected);
    };
  }

  private static ApplicationSet parsed(DesiredChild child) {
    try {
      return ApplicationSetParser.validate(child.document());
    } catch (InvalidApplicationSetException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private Future<Void> writeApplication(String parent, DesiredChild child, Set<String> affected) {
    JsonObject document = new JsonObject(ChildDocuments.text(child.document()));
    Application app = Application.parse(child.document());
    String project = app.project().isEmpty() ? ProjectGate.DEFAULT_PROJECT : app.project();
    return Future.all(clusters.list(), gate.load())
        .compose(
            all -> {
              List<Cluster> registered = all.resultAt(0);
              ProjectGate.Policies policies = all.resultAt(1);
              String cluster = destinationCluster(app, registered);
              String dispatchError =
                  cluster == null
                      ? "destination cluster '"
                          + destination(app)
                          + "' is not registered (see `flotilla cluster list`)"
                      : policies
                          .violation(ApplicationPlacement.of(child.key().name(), app.spec()))
                          .orElse(null);
              StoredApplication stored =
                  new StoredApplication(
                      child.key().name(),
                      null,
                      project,
                      cluster,
                      document,
                      "",
                      0,
                      dispatchError,
                      cascades(child));
              return repository.upsertApplication(parent, stored);
            })
        .map(
            stored -> {
              if (stored.cluster() != null) {
                affected.add(stored.cluster());
              }
              events.changed(stored.name());
              return null;
            });
  }

  private Future<Void> prune(String parent, ChildKey key, Set<String> affected) {
    return switch (key.kind()) {
      case APPLICATION ->
          repository
              .deleteApplication(parent, key.name())
              .map(
                  cluster -> {
                    cluster.filter(c -> !c.isEmpty()).ifPresent(affected::add);
                    events.changed(key.name());
                    return null;
                  });
      case APPLICATION_SET -> appSets.requestDeletion(key.name()).mapEmpty();
      case APP_PROJECT -> projects.delete(Caller.SYSTEM, key.name());
    };
  }

  /**
   * Argo CD deletes a child Application's resources with it only when it carries the resources
   * finalizer; without it the resources stay in the cluster.
   */
  private static boolean cascades(DesiredChild child) {
    for (var f : child.document().path("metadata").path("finalizers")) {
      if (CASCADE_FINALIZERS.contains(f.asText())) {
        return true;
      }
    }
    return false;
  }

  private static String destination(Application app) {
    var d = app.spec().destination();
    return d.name() != null && !d.name().isEmpty() ? d.name() : String.valueOf(d.server());
  }

  private static String destinationCluster(Application app, List<Cluster> registered) {
    var d = app.spec().destination();
    boolean byName = d.name() != null && !d.name().isEmpty();
    Optional<Cluster> found =
        registered.stream()
            .filter(c -> byName ? c.name().equals(d.name()) : c.server().equals(d.server()))
            .findFirst();
    return found.map(Cluster::name).orElse(null);
  }
}
