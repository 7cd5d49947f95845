package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.core.model.ApplicationParser;
import dev.flotilla.core.model.ApplicationSpec;
import dev.flotilla.proto.agent.v1.ResourceRules;
import dev.flotilla.render.RenderRequest;
import dev.flotilla.render.RenderSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of an Argo CD Application spec the agent acts on, parsed from the assignment's JSON.
 *
 * <p>A view over core's typed {@link ApplicationSpec}: core's parser reads the document (a known
 * field with the wrong type is an error naming the field), and this view fills in Argo CD's
 * defaults (path {@code .}, revision {@code HEAD}, retry backoff 5s x2 up to 3m) so that the
 * reconciler never meets an absent field. Fields the agent does not act on are ignored here.
 *
 * @param name the Application's name; it also names the objects' tracking annotation
 * @param project the AppProject the Application belongs to
 * @param source where the manifests come from; for a multi-source Application its first source
 * @param sources {@code spec.sources} of a multi-source Application, in order; empty for a
 *     single-source one
 * @param destination which namespace (of the agent's own cluster) unqualified objects go to
 * @param syncPolicy automation, sync options and retry; {@link SyncPolicy#MANUAL} when absent
 * @param ignoreDifferences fields that drift detection and sync status must not look at
 * @param resourceRules the kinds of object the project permits, checked before every sync; null
 *     when the control plane sent none (one older than the rules), and then nothing is checked
 */
public record AppSpec(
    String name,
    String project,
    RenderSource source,
    List<RenderSource> sources,
    Destination destination,
    SyncPolicy syncPolicy,
    List<IgnoreDifference> ignoreDifferences,
    ResourceRules resourceRules) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public AppSpec {
    sources = List.copyOf(sources);
    ignoreDifferences = List.copyOf(ignoreDifferences);
  }

  /**
   * Parses an Application spec with core's one parser, then checks what the agent needs on top.
   *
   * @throws IllegalArgumentException naming the offending field when the JSON is malformed or a
   *     field has the wrong type
   */
  public static AppSpec parse(String name, String project, String specJson) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("application name is empty");
    }
    JsonNode root;
    try {
      root =
          specJson == null || specJson.isBlank()
              ? JSON.createObjectNode()
              : JSON.readTree(specJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "spec of application " + name + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    return of(name, project, ApplicationParser.parseSpec(root));
  }

  /**
   * The agent's view of a typed spec: Argo CD's defaults filled in, and refused what the agent
   * cannot deploy (no source at all, a malformed chart reference or source ref, malformed sync
   * options). As in Argo CD, {@code sources} wins when both are given.
   */
  public static AppSpec of(String name, String project, ApplicationSpec spec) {
    List<RenderSource> sources = AppSpecView.sources(spec);
    return new AppSpec(
        name,
        project == null ? "" : project,
        sources.get(0),
        spec.sources().isEmpty() ? List.of() : sources,
        AppSpecView.destination(spec.destination()),
        AppSpecView.syncPolicy(spec.syncPolicy()),
        spec.ignoreDifferences().stream().map(AppSpecView::ignoreDifference).toList(),
        null);
  }

  /** This spec checked against {@code rules} (null: not checked). */
  public AppSpec withResourceRules(ResourceRules rules) {
    return new AppSpec(
        name, project, source, sources, destination, syncPolicy, ignoreDifferences, rules);
  }

  /** True for an Application with {@code spec.sources} (even a single one), as Argo CD tells. */
  public boolean isMultiSource() {
    return !sources.isEmpty();
  }

  /** Every source, in order: those of {@code spec.sources}, else the one {@code source}. */
  public List<RenderSource> allSources() {
    return sources.isEmpty() ? List.of(source) : sources;
  }

  /** This spec as if {@code one} were its only source: what one source of several renders. */
  public AppSpec withSource(RenderSource one) {
    return new AppSpec(
        name, project, one, List.of(), destination, syncPolicy, ignoreDifferences, resourceRules);
  }

  /**
   * This spec with self-heal off, for while a sync window blocks automated sync: drift is still
   * reported, but not reverted.
   */
  public AppSpec withSelfHealSuspended() {
    if (!syncPolicy.selfHeal()) {
      return this;
    }
    Automated a = syncPolicy.automated();
    return new AppSpec(
        name,
        project,
        source,
        sources,
        destination,
        new SyncPolicy(
            new Automated(a.prune(), false, a.allowEmpty()),
            syncPolicy.syncOptions(),
            syncPolicy.retry(),
            syncPolicy.pruneThisSync()),
        ignoreDifferences,
        resourceRules);
  }

  /**
   * This spec for a sync that was asked to prune ({@code argocd app sync --prune}): orphans go even
   * when the policy is manual or automated without prune. The policy's guards stay.
   */
  public AppSpec withPruneThisSync() {
    if (syncPolicy.prune()) {
      return this;
    }
    return new AppSpec(
        name,
        project,
        source,
        sources,
        destination,
        new SyncPolicy(syncPolicy.automated(), syncPolicy.syncOptions(), syncPolicy.retry(), true),
        ignoreDifferences,
        resourceRules);
  }

  /**
   * Argo's {@code destination}; the agent only serves its own cluster, so only namespace is used.
   */
  public record Destination(String server, String name, String namespace) {}

  /**
   * Argo's {@code syncPolicy}.
   *
   * @param automated null for a manually synced Application
   * @param pruneThisSync a person asked this one sync to prune (not part of the stored spec)
   */
  public record SyncPolicy(
      Automated automated, SyncOptions syncOptions, Retry retry, boolean pruneThisSync) {
    public static final SyncPolicy MANUAL = new SyncPolicy(null, SyncOptions.NONE, null);

    public SyncPolicy(Automated automated, SyncOptions syncOptions, Retry retry) {
      this(automated, syncOptions, retry, false);
    }

    public boolean prune() {
      return pruneThisSync || automated != null && automated.prune();
    }

    public boolean selfHeal() {
      return automated != null && automated.selfHeal();
    }

    public boolean allowEmpty() {
      return automated != null && automated.allowEmpty();
    }
  }

  /** Argo's {@code syncPolicy.automated}. */
  public record Automated(boolean prune, boolean selfHeal, boolean allowEmpty) {}

  /**
   * Argo's {@code syncPolicy.retry}.
   *
   * @param limit how many times a failed sync is retried; negative means without limit
   */
  public record Retry(int limit, Duration backoffDuration, int factor, Duration maxDuration) {

    /** The wait before retry number {@code attempt} (1-based), capped at maxDuration. */
    public Duration backoff(int attempt) {
      double millis = backoffDuration.toMillis() * Math.pow(Math.max(1, factor), attempt - 1);
      return Duration.ofMillis((long) Math.min(millis, maxDuration.toMillis()));
    }
  }

  /**
   * One {@code ignoreDifferences} entry: fields, by JSON pointer, of matching objects.
   *
   * @param name empty matches any name
   * @param namespace empty matches any namespace
   */
  public record IgnoreDifference(
      String group, String kind, String name, String namespace, List<String> jsonPointers) {
    public IgnoreDifference {
      jsonPointers = List.copyOf(jsonPointers);
    }

    public boolean matches(String group, String kind, String namespace, String name) {
      return this.group.equals(group == null ? "" : group)
          && this.kind.equals(kind)
          && (this.name.isEmpty() || this.name.equals(name))
          && (this.namespace.isEmpty() || this.namespace.equals(namespace));
    }
  }

  /** What the renderer needs of this Application. */
  public RenderRequest renderRequest() {
    return new RenderRequest(name, source, destination.namespace());
  }

  /** A JSON view of the values object, for Helm. */
  public Optional<ObjectNode> helmValuesObject() {
    if (source.helm() == null || source.helm().valuesObject() == null) {
      return Optional.empty();
    }
    return Optional.of((ObjectNode) source.helm().valuesObject());
  }

  /** Labels {@code key=value} for the parts of the spec that are handy in logs. */
  @Override
  public String toString() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("project", project);
    m.put("path", source.path());
    m.put("namespace", destination.namespace());
    return "AppSpec" + m;
  }
}
