package dev.flotilla.core.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.glob.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The part of an Argo CD AppProject that decides where an Application may come from and go to:
 * {@code sourceRepos} and {@code destinations}, with Argo's glob and {@code !} deny semantics.
 *
 * <ul>
 *   <li>A source repository is permitted when some entry matches it and no {@code !} entry matches
 *       it. URLs are compared normalised (lower case, no trailing {@code /} or {@code .git});
 *       {@code *} stops at {@code /}, {@code **} does not.
 *   <li>A destination is permitted when some entry matches its server (or name) and namespace, and
 *       no {@code !} entry excludes them. Here {@code *} matches anything.
 * </ul>
 */
public final class ProjectPolicy {

  /** One {@code spec.destinations} entry; empty strings for absent fields. */
  public record Destination(String server, String name, String namespace) {
    public Destination {
      server = server == null ? "" : server;
      name = name == null ? "" : name;
      namespace = namespace == null ? "" : namespace;
    }
  }

  private final String name;
  private final List<String> sourceRepos;
  private final List<Destination> destinations;

  public ProjectPolicy(String name, List<String> sourceRepos, List<Destination> destinations) {
    this.name = name;
    this.sourceRepos = List.copyOf(sourceRepos);
    this.destinations = List.copyOf(destinations);
  }

  /** Reads an {@code argoproj.io/v1alpha1 AppProject} document (metadata.name and spec). */
  public static ProjectPolicy fromAppProject(JsonNode appProject) {
    String name = appProject.path("metadata").path("name").asText("");
    JsonNode spec = appProject.path("spec");
    List<String> repos = new ArrayList<>();
    for (JsonNode repo : spec.path("sourceRepos")) {
      repos.add(repo.asText());
    }
    List<Destination> destinations = new ArrayList<>();
    for (JsonNode destination : spec.path("destinations")) {
      destinations.add(
          new Destination(
              destination.path("server").asText(""),
              destination.path("name").asText(""),
              destination.path("namespace").asText("")));
    }
    return new ProjectPolicy(name, repos, destinations);
  }

  public String name() {
    return name;
  }

  public List<String> sourceRepos() {
    return sourceRepos;
  }

  public List<Destination> destinations() {
    return destinations;
  }

  /** The first reason the Application may not use this project, if any. */
  public Optional<String> violation(ApplicationPlacement application) {
    return violation(application, Map.of());
  }

  /**
   * The first reason the Application may not use this project, resolving cluster names and servers
   * through {@code clusterServers} (name to server URL) as {@link #violations(ApplicationPlacement,
   * Map)} does.
   */
  public Optional<String> violation(
      ApplicationPlacement application, Map<String, String> clusterServers) {
    List<String> all = violations(application, clusterServers);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /**
   * Every reason the Application may not use this project: wrong project, a source repository or
   * the destination not permitted. Empty when it is allowed.
   */
  public List<String> violations(ApplicationPlacement application) {
    return violations(application, Map.of());
  }

  /**
   * As {@link #violations(ApplicationPlacement)}, resolving a destination given only by cluster
   * name to its server (and the reverse) as Argo CD does before matching, so that a project listing
   * servers also admits Applications that name the cluster.
   *
   * @param clusterServers registered clusters, name to server URL
   */
  public List<String> violations(
      ApplicationPlacement application, Map<String, String> clusterServers) {
    List<String> violations = new ArrayList<>();
    String project = application.project().isEmpty() ? "default" : application.project();
    if (!project.equals(name)) {
      violations.add(
          "application '"
              + application.name()
              + "' belongs to project '"
              + project
              + "', not '"
              + name
              + "'");
    }
    List<String> repos = application.sourceRepos();
    if (repos.isEmpty()) {
      violations.add("application '" + application.name() + "' has no source repository");
    }
    for (String repo : repos) {
      if (!isSourcePermitted(repo)) {
        violations.add(
            "application '"
                + application.name()
                + "' source repository '"
                + repo
                + "' is not permitted in project '"
                + name
                + "' (sourceRepos: "
                + sourceRepos
                + ")");
      }
    }
    String server = application.destinationServer();
    String clusterName = application.destinationName();
    if (server.isEmpty() && clusterServers.containsKey(clusterName)) {
      server = clusterServers.get(clusterName);
    }
    if (clusterName.isEmpty() && !server.isEmpty()) {
      for (Map.Entry<String, String> cluster : clusterServers.entrySet()) {
        if (cluster.getValue().equals(server)) {
          clusterName = cluster.getKey();
          break;
        }
      }
    }
    Destination destination =
        new Destination(server, clusterName, application.destinationNamespace());
    if (!isDestinationPermitted(destination)) {
      violations.add(
          "application '"
              + application.name()
              + "' destination (server '"
              + destination.server()
              + "', name '"
              + destination.name()
              + "', namespace '"
              + destination.namespace()
              + "') is not permitted in project '"
              + name
              + "'");
    }
    return violations;
  }

  /** Argo's rule: some entry matches and no {@code !} entry matches. */
  public boolean isSourcePermitted(String repoUrl) {
    String repo = normalizeRepo(repoUrl);
    boolean anyMatched = false;
    for (String entry : sourceRepos) {
      boolean deny = entry.startsWith("!");
      String pattern = normalizeRepo(deny ? entry.substring(1) : entry);
      boolean matched = Glob.matches(pattern, repo, Glob.Mode.PROJECT_REPO, deny);
      if (deny) {
        if (matched) {
          return false;
        }
        // Argo counts a deny entry that does not match as a match, so "!x" alone allows the rest.
        anyMatched = true;
      } else if (matched) {
        anyMatched = true;
      }
    }
    return anyMatched;
  }

  /**
   * Argo's rule: some entry matches server-or-name and namespace, and no entry with a {@code !}
   * pattern rejects the server, name or namespace.
   */
  public boolean isDestinationPermitted(Destination destination) {
    boolean anyMatched = false;
    for (Destination entry : destinations) {
      boolean nameMatched =
          !destination.name().isEmpty() && field(entry.name(), destination.name());
      boolean serverMatched =
          !destination.server().isEmpty() && field(entry.server(), destination.server());
      boolean namespaceMatched = field(entry.namespace(), destination.namespace());
      if ((serverMatched || nameMatched) && namespaceMatched) {
        anyMatched = true;
      } else if ((!nameMatched && entry.name().startsWith("!"))
          || (!serverMatched && entry.server().startsWith("!"))
          || (!namespaceMatched && entry.namespace().startsWith("!"))) {
        return false;
      }
    }
    return anyMatched;
  }

  /** This project's destinations as they bear on one cluster, for checking object namespaces. */
  public ClusterNamespaces namespacesOn(String server, String clusterName) {
    return ClusterNamespaces.of(destinations, server, clusterName);
  }

  /**
   * One destination field against its pattern; a {@code !} pattern matches what it does not
   * exclude.
   */
  static boolean field(String pattern, String value) {
    if (pattern.startsWith("!")) {
      return !Glob.matches(pattern.substring(1), value, Glob.Mode.PROJECT, true);
    }
    return Glob.matches(pattern, value, Glob.Mode.PROJECT, false);
  }

  /** Argo's NormalizeGitURL, enough for comparison: case, trailing slash and ".git" ignored. */
  static String normalizeRepo(String url) {
    String normalized = url.strip().toLowerCase(Locale.ROOT);
    while (normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    if (normalized.endsWith(".git")) {
      normalized = normalized.substring(0, normalized.length() - 4);
    }
    return normalized;
  }
}
