package dev.flotilla.controlplane.project;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.controlplane.cluster.Cluster;
import dev.flotilla.controlplane.cluster.ClusterRepository;
import dev.flotilla.core.project.ApplicationPlacement;
import dev.flotilla.core.project.ClusterNamespaces;
import dev.flotilla.core.project.ProjectPolicy;
import dev.flotilla.core.project.ProjectResourceRules;
import dev.flotilla.core.project.ResourcePermissions;
import dev.flotilla.core.project.ResourceRules;
import dev.flotilla.core.project.SyncWindows;
import dev.flotilla.generators.GeneratedApplication;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether an Application may use its AppProject's repositories and destinations. Checked
 * where Applications are generated and again where they are dispatched, so narrowing a project
 * stops dispatch of Applications it no longer allows even before their ApplicationSet regenerates.
 * The project's resource-kind rules and its destinations on the receiving cluster go with each
 * dispatched Application to the agent, the only place that knows the rendered objects and their
 * namespaces.
 *
 * <p>As in Argo CD, the {@code default} project allows everything until someone defines it.
 */
public final class ProjectGate {

  public static final String DEFAULT_PROJECT = "default";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProjectRepository projects;
  private final ClusterRepository clusters;
  private final ProjectPolicyCache<Policies> cache;

  /**
   * @param clusters registered clusters, so a destination given by cluster name matches a project
   *     that lists servers (and the reverse), as in Argo CD
   */
  public ProjectGate(ProjectRepository projects, ClusterRepository clusters) {
    this.projects = projects;
    this.clusters = clusters;
    this.cache = new ProjectPolicyCache<>(projects::policyVersion, this::loadNow);
  }

  /**
   * A snapshot of every project's policy, for checking many Applications at once; parsed again only
   * when a project or a cluster's name or server changed since (see {@link ProjectPolicyCache}).
   */
  public Future<Policies> load() {
    return cache.get();
  }

  /** Forgets the cached policies, so the next {@link #load} reads every project again. */
  public void invalidate() {
    cache.invalidate();
  }

  private Future<Policies> loadNow() {
    return clusters
        .list()
        .compose(
            registered -> projects.list().map(docs -> policies(docs, serversByName(registered))));
  }

  private static Map<String, String> serversByName(List<Cluster> registered) {
    Map<String, String> servers = new HashMap<>();
    registered.forEach(c -> servers.put(c.name(), c.server()));
    return servers;
  }

  private static Policies policies(List<JsonObject> docs, Map<String, String> clusterServers) {
    Map<String, ProjectPolicy> byName = new HashMap<>();
    Map<String, ResourceRules> rules = new HashMap<>();
    Map<String, WindowsOrError> windows = new HashMap<>();
    for (var doc : docs) {
      ObjectNode node = toNode(doc.encode());
      ProjectPolicy p = ProjectPolicy.fromAppProject(node);
      byName.put(p.name(), p);
      rules.put(p.name(), ProjectResourceRules.of(p.name(), node.path("spec")));
      windows.put(p.name(), WindowsOrError.of(node.path("spec").path("syncWindows")));
    }
    return new Policies(byName, rules, windows, clusterServers);
  }

  /**
   * A project's sync windows, or why they cannot be read: a project stored before windows were
   * validated may hold bad ones, and then syncs are refused (as Argo CD does) rather than let
   * through.
   */
  private record WindowsOrError(SyncWindows windows, String error) {
    static WindowsOrError of(com.fasterxml.jackson.databind.JsonNode node) {
      try {
        return new WindowsOrError(SyncWindows.parse(node), null);
      } catch (IllegalArgumentException e) {
        return new WindowsOrError(SyncWindows.NONE, "invalid sync windows: " + e.getMessage());
      }
    }
  }

  /** Immutable policies of all projects at one moment. */
  public static final class Policies {
    private final Map<String, ProjectPolicy> byName;
    private final Map<String, ResourceRules> rules;
    private final Map<String, WindowsOrError> windows;
    private final Map<String, String> clusterServers;

    Policies(
        Map<String, ProjectPolicy> byName,
        Map<String, ResourceRules> rules,
        Map<String, WindowsOrError> windows) {
      this(byName, rules, windows, Map.of());
    }

    Policies(
        Map<String, ProjectPolicy> byName,
        Map<String, ResourceRules> rules,
        Map<String, WindowsOrError> windows,
        Map<String, String> clusterServers) {
      this.byName = Map.copyOf(byName);
      this.rules = Map.copyOf(rules);
      this.windows = Map.copyOf(windows);
      this.clusterServers = Map.copyOf(clusterServers);
    }

    /** Whether some project has sync windows, i.e. whether verdicts can change with the clock. */
    public boolean hasSyncWindows() {
      return windows.values().stream().anyMatch(w -> !w.windows().isEmpty() || w.error() != null);
    }

    /**
     * Why automated sync of {@code app} is blocked by its project's sync windows at {@code now};
     * empty when it is not.
     */
    public Optional<String> autoSyncBlock(StoredApplication app, Instant now) {
      WindowsOrError w = windowsOf(app.project());
      if (w.error() != null) {
        return Optional.of(w.error());
      }
      JsonObject destination = app.spec().getJsonObject("destination", new JsonObject());
      return w.windows()
          .state(
              app.name(),
              clusterIds(app.cluster(), destination),
              destination.getString("namespace", ""),
              now)
          .autoSyncBlockedReason();
    }

    /** Why a manual sync is refused by the project's sync windows at {@code now}, if it is. */
    public Optional<String> manualSyncRefusal(
        String project, String application, String cluster, JsonObject spec, Instant now) {
      WindowsOrError w = windowsOf(project);
      if (w.error() != null) {
        return Optional.of(w.error());
      }
      JsonObject destination = spec.getJsonObject("destination", new JsonObject());
      return w.windows()
          .state(
              application,
              clusterIds(cluster, destination),
              destination.getString("namespace", ""),
              now)
          .manualSyncRefusal();
    }

    /**
     * The sync window that decides for this Application at {@code now}, as people are told it;
     * empty when none applies. Evaluated exactly as {@link #manualSyncRefusal} decides.
     */
    public Optional<SyncWindows.Verdict> syncWindow(
        String project, String application, String cluster, JsonObject spec, Instant now) {
      JsonObject destination = spec.getJsonObject("destination", new JsonObject());
      return windowsOf(project)
          .windows()
          .state(
              application,
              clusterIds(cluster, destination),
              destination.getString("namespace", ""),
              now)
          .verdict();
    }

    /** Why the project's sync windows cannot be read (then every sync is refused), if so. */
    public Optional<String> syncWindowsError(String project) {
      return Optional.ofNullable(windowsOf(project).error());
    }

    private WindowsOrError windowsOf(String project) {
      String name = project == null || project.isEmpty() ? DEFAULT_PROJECT : project;
      return windows.getOrDefault(name, new WindowsOrError(SyncWindows.NONE, null));
    }

    /** Argo matches {@code clusters} against the destination's name and server. */
    private static List<String> clusterIds(String cluster, JsonObject destination) {
      return java.util.stream.Stream.of(
              cluster, destination.getString("name"), destination.getString("server"))
          .filter(c -> c != null && !c.isEmpty())
          .distinct()
          .toList();
    }

    /**
     * What Applications of {@code project} may sync on the cluster with this server URL and name,
     * for the agent to enforce after rendering: the resource kinds, and the namespaces the
     * project's destinations permit there. The undefined {@code default} project permits everything
     * (namespaces unchecked); another undefined project is never dispatched (see {@link
     * #violation}), so it gets rules that permit nothing.
     */
    public dev.flotilla.proto.agent.v1.ResourceRules resourceRules(
        String project, String server, String clusterName) {
      return ResourceRulesMessages.toMessage(rulesOn(project, server, clusterName));
    }

    private ResourceRules rulesOn(String project, String server, String clusterName) {
      String name = project == null || project.isEmpty() ? DEFAULT_PROJECT : project;
      ResourceRules r = rules.get(name);
      if (r != null) {
        return r.withDestinations(byName.get(name).namespacesOn(server, clusterName));
      }
      return name.equals(DEFAULT_PROJECT)
          ? ResourceRules.allowAll(DEFAULT_PROJECT)
          : new ResourceRules(
              name,
              List.of(),
              List.of(),
              Optional.of(List.of()),
              List.of(),
              Optional.of(new ClusterNamespaces(List.of())));
    }

    /**
     * Why Applications of {@code project} on this cluster may not create an object of this group
     * and kind (App of Apps: the Argo CD objects a parent declares), from the project's resource
     * lists and destinations, as the agent decides for any rendered object.
     */
    public Optional<String> objectViolation(
        String project,
        String server,
        String clusterName,
        String group,
        String kind,
        String namespace,
        String name,
        ResourcePermissions.Scope scope) {
      return ResourcePermissions.violation(
          rulesOn(project, server, clusterName), group, kind, namespace, name, scope);
    }

    /** Why {@code app} may not be deployed under its project, if it may not. */
    public Optional<String> violation(GeneratedApplication app) {
      return violation(ApplicationPlacement.of(app.name(), app.application().spec()));
    }

    /** Why {@code app} may not be deployed; a stored document that no longer parses may not. */
    public Optional<String> violation(StoredApplication app) {
      try {
        return violation(ApplicationPlacement.of(app.name(), app.application().spec()));
      } catch (IllegalArgumentException e) {
        return Optional.of(e.getMessage());
      }
    }

    /** Why an Application placed so may not be deployed under its project, if it may not. */
    public Optional<String> violation(ApplicationPlacement app) {
      String project = app.project().isEmpty() ? DEFAULT_PROJECT : app.project();
      ProjectPolicy policy = byName.get(project);
      if (policy == null) {
        return project.equals(DEFAULT_PROJECT)
            ? Optional.empty()
            : Optional.of("project '" + project + "' does not exist");
      }
      return policy.violation(app, clusterServers).map(v -> "project '" + project + "': " + v);
    }
  }

  static ObjectNode toNode(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
