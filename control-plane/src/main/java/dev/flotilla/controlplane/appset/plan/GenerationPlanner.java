package dev.flotilla.controlplane.appset.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.core.model.DestinationCluster;
import dev.flotilla.generators.ClusterInfo;
import dev.flotilla.generators.GeneratedApplication;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.GitInputException;
import io.vertx.core.json.JsonObject;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what one generation of an ApplicationSet changes: the safety rules that keep a bad
 * generation from destroying what works. Pure: immutable inputs in, an immutable plan out; the
 * controller loads the inputs and carries the plan out.
 *
 * <ul>
 *   <li>The applicationsSync policy: create-only never updates or deletes, create-update never
 *       deletes, create-delete never updates, sync does all.
 *   <li>Keep on error: when anything in the generation failed, nothing is deleted, and an
 *       Application that did not render is left as it was.
 *   <li>Allow-empty guard: a generation that yields nothing deletes nothing unless the
 *       ApplicationSet is annotated {@value #ALLOW_EMPTY_ANNOTATION}.
 *   <li>Projects: an Application whose project its templates do not name, or whose AppProject
 *       refuses it, is never stored as generated; an existing one keeps its content and is held
 *       back from dispatch.
 *   <li>Size: an Application over {@link ApplicationSizeLimit} is never stored; an existing one
 *       keeps its content.
 *   <li>An unresolvable target revision keeps the Application's last revision.
 * </ul>
 *
 * Name conflicts with other ApplicationSets are decided in the storing transaction, by {@link
 * GenerationPlan#withoutOwnedElsewhere}.
 */
public final class GenerationPlanner {

  /** Annotation that lets a generation with zero results delete every Application it had. */
  public static final String ALLOW_EMPTY_ANNOTATION = "flotilla.dev/allow-empty-generation";

  /** The policies Argo CD defines; anything else is refused when an ApplicationSet is applied. */
  public static final Set<String> POLICIES =
      Set.of("create-only", "create-update", "create-delete", "sync");

  static final String DEFAULT_PROJECT = "default";

  private static final ObjectMapper JSON = new ObjectMapper();

  private GenerationPlanner() {}

  /** The plan of a generation that could not run because the stored spec is invalid. */
  public static GenerationPlan invalidSpec(String message) {
    return new GenerationPlan(
        List.of(),
        List.of(),
        List.of(),
        List.of(new GenerationError("spec", message)),
        List.of(),
        0,
        Set.of(),
        Optional.empty());
  }

  /** The plan for {@code in}; throws only if a generated document cannot be serialised. */
  public static GenerationPlan plan(GenerationInputs in) {
    return new Planning(in).run();
  }

  /** Whether {@code policy} lets a generation change an Application it created before. */
  static boolean allowsUpdate(String policy) {
    return policy.equals("sync") || policy.equals("create-update");
  }

  /** Whether {@code policy} lets a generation delete an Application it no longer produces. */
  static boolean allowsDelete(String policy) {
    return policy.equals("sync") || policy.equals("create-delete");
  }

  /** The state of one planning run. */
  private static final class Planning {
    private final GenerationInputs in;
    private final List<GenerationError> errors = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<StoredApplication> upserts = new ArrayList<>();
    private final Set<String> affected = new TreeSet<>();
    private final Map<String, StoredApplication> before = new HashMap<>();

    /** Per "repoURL\0targetRevision": the resolved SHA, or empty when it could not be resolved. */
    private final Map<String, Optional<String>> resolved = new HashMap<>();

    Planning(GenerationInputs in) {
      this.in = in;
      in.owned().forEach(a -> before.put(a.name(), a));
      errors.addAll(in.result().errors());
    }

    GenerationPlan run() {
      Set<String> generatedNames = new HashSet<>();
      for (GeneratedApplication app : in.result().applications()) {
        generatedNames.add(app.name());
        planGenerated(app, before.get(app.name()));
      }
      List<String> missing =
          in.owned().stream()
              .map(StoredApplication::name)
              .filter(n -> !generatedNames.contains(n))
              .toList();
      List<String> deletes = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      if (!missing.isEmpty()) {
        Optional<String> keepReason = whyKeep(missing.size());
        if (keepReason.isPresent()) {
          notes.add(keepReason.get());
          kept.addAll(missing);
        } else {
          for (String name : missing) {
            deletes.add(name);
            addCluster(before.get(name).cluster());
          }
        }
      }
      return new GenerationPlan(
          upserts,
          deletes,
          kept,
          errors,
          notes,
          in.result().applications().size(),
          affected,
          in.result().requeueAfter(),
          in.result().warnings());
    }

    private void planGenerated(GeneratedApplication app, StoredApplication old) {
      Optional<String> forbidden = projectViolation(app);
      if (forbidden.isPresent()) {
        // Never stored as generated; an existing one keeps its content but is held back from
        // dispatch.
        errors.add(new GenerationError("Application " + app.name(), forbidden.get()));
        if (old != null && !forbidden.get().equals(old.dispatchError())) {
          upserts.add(withDispatchError(old, forbidden.get()));
          addCluster(old.cluster());
        }
        return;
      }
      String json = serialise(app);
      Optional<String> tooLarge = ApplicationSizeLimit.violation(json);
      if (tooLarge.isPresent()) {
        // Like a forbidden one: an existing Application keeps its content, nothing new is stored.
        errors.add(new GenerationError("Application " + app.name(), tooLarge.get()));
        return;
      }
      String cluster = destinationCluster(app);
      StoredApplication next =
          new StoredApplication(
              app.name(),
              in.applicationSet(),
              app.project().isEmpty() ? DEFAULT_PROJECT : app.project(),
              cluster,
              new JsonObject(json),
              revision(app, old),
              old == null ? 0 : old.generation(),
              cluster == null ? unregistered(app) : null,
              !in.preserveResourcesOnDeletion());
      if (old != null && sameContent(old, next)) {
        return;
      }
      if (old != null && !allowsUpdate(in.policy())) {
        notes.add(
            "'"
                + app.name()
                + "' differs from the template but policy "
                + in.policy()
                + " keeps it");
        return;
      }
      upserts.add(next);
      if (old != null) {
        addCluster(old.cluster());
      }
      addCluster(cluster);
    }

    /**
     * Permission to store the set was decided on the projects its templates name (see
     * TemplateProjects); an Application anywhere else never passed it. The renderer already refuses
     * that; this is the second line.
     */
    private Optional<String> projectViolation(GeneratedApplication app) {
      String project = app.project().isEmpty() ? DEFAULT_PROJECT : app.project();
      if (!in.templateProjects().contains(project)) {
        return Optional.of(
            "project '"
                + project
                + "' is named by no template of the ApplicationSet "
                + "(permission for it was never checked)");
      }
      return in.projects().violation(app);
    }

    /** Why the owned Applications the generation did not produce are kept, or empty to delete. */
    private Optional<String> whyKeep(int missing) {
      if (!errors.isEmpty()) {
        return Optional.of(
            "kept "
                + missing
                + " Application(s) that did not render because generation had errors");
      }
      if (!allowsDelete(in.policy())) {
        return Optional.of(
            "kept " + missing + " Application(s): policy " + in.policy() + " never deletes");
      }
      if (in.result().applications().isEmpty() && !in.allowEmpty()) {
        return Optional.of(
            "generators returned no Applications; kept all "
                + missing
                + " existing ones (annotate the ApplicationSet with "
                + ALLOW_EMPTY_ANNOTATION
                + "=\"true\" to allow deleting them)");
      }
      return Optional.empty();
    }

    /**
     * The SHA of the Application's target revision ("" for a chart source). One that cannot be
     * resolved keeps what the Application had: an unreachable repository must not change it. That
     * is the Application's problem (its agent reports it too), not a failed generation, so it is a
     * note, once per repository and revision.
     */
    private String revision(GeneratedApplication app, StoredApplication old) {
      if (app.spec().path("sources").size() > 0) {
        // Multi-source: the RevisionPoller resolves each source; kept while the sources are the
        // same.
        return old != null && old.hasSourcesOf(new JsonObject(app.spec().toString()))
            ? old.revision()
            : "";
      }
      // A chart's version is resolved by its agent from the chart repository, not from Git.
      if (app.repoUrl().isEmpty() || app.isChart()) {
        return "";
      }
      String key = app.repoUrl() + "\u0000" + app.targetRevision();
      Optional<String> sha = resolved.get(key);
      if (sha == null) {
        try {
          sha = Optional.of(in.revisions().resolve(app.repoUrl(), app.targetRevision()));
        } catch (GitInputException e) {
          notes.add(
              "Application " + app.name() + ": " + e.getMessage() + "; kept its last revision");
          sha = Optional.empty();
        }
        resolved.put(key, sha);
      }
      if (sha.isPresent()) {
        return sha.get();
      }
      return old != null && app.repoUrl().equals(old.repoUrl()) ? old.revision() : "";
    }

    private String destinationCluster(GeneratedApplication app) {
      return DestinationCluster.resolve(
              in.clusters(),
              ClusterInfo::name,
              ClusterInfo::server,
              app.destinationName(),
              app.destinationServer())
          .map(ClusterInfo::name)
          .orElse(null);
    }

    private void addCluster(String cluster) {
      if (cluster != null) {
        affected.add(cluster);
      }
    }
  }

  private static String unregistered(GeneratedApplication app) {
    String destination =
        app.destinationName().isEmpty() ? app.destinationServer() : app.destinationName();
    return "destination cluster '"
        + destination
        + "' is not registered (see `flotilla cluster list`)";
  }

  private static StoredApplication withDispatchError(StoredApplication old, String error) {
    return new StoredApplication(
        old.name(),
        old.applicationSet(),
        old.project(),
        old.cluster(),
        old.document(),
        old.revision(),
        old.generation(),
        error,
        old.deleteResourcesOnRemoval());
  }

  private static boolean sameContent(StoredApplication a, StoredApplication b) {
    return Objects.equals(a.document(), b.document())
        && Objects.equals(a.cluster(), b.cluster())
        && Objects.equals(a.revision(), b.revision())
        && Objects.equals(a.dispatchError(), b.dispatchError())
        && Objects.equals(a.project(), b.project())
        && a.deleteResourcesOnRemoval() == b.deleteResourcesOnRemoval();
  }

  private static String serialise(GeneratedApplication app) {
    try {
      return JSON.writeValueAsString(app.document());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
