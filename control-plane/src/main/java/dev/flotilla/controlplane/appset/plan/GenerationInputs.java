package dev.flotilla.controlplane.appset.plan;

import dev.flotilla.controlplane.application.StoredApplication;
import dev.flotilla.generators.ClusterInfo;
import dev.flotilla.generators.GenerationResult;
import java.util.List;
import java.util.Set;

/**
 * Everything one generation plan is decided from.
 *
 * @param applicationSet the ApplicationSet's name, owner of what is planned
 * @param result what its generators produced this time, errors included
 * @param owned the Applications it owns now, as stored
 * @param policy the applicationsSync policy in force: create-only, create-update, create-delete or
 *     sync
 * @param preserveResourcesOnDeletion {@code spec.syncPolicy.preserveResourcesOnDeletion}
 * @param allowEmpty whether the ApplicationSet allows a generation with no result to delete every
 *     Application it had ({@link GenerationPlanner#ALLOW_EMPTY_ANNOTATION})
 * @param templateProjects the projects the ApplicationSet's templates name, on which permission to
 *     store it was checked
 * @param projects the AppProject verdicts
 * @param clusters the registered clusters, for the destinations
 * @param revisions resolves the generated Applications' target revisions
 */
public record GenerationInputs(
    String applicationSet,
    GenerationResult result,
    List<StoredApplication> owned,
    String policy,
    boolean preserveResourcesOnDeletion,
    boolean allowEmpty,
    Set<String> templateProjects,
    ProjectVerdicts projects,
    List<ClusterInfo> clusters,
    RevisionResolver revisions) {

  public GenerationInputs {
    owned = List.copyOf(owned);
    templateProjects = Set.copyOf(templateProjects);
    clusters = List.copyOf(clusters);
  }
}
