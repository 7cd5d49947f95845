package dev.flotilla.controlplane.appofapps.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * A child as the parent's manifests declare it at the current revision.
 *
 * @param document the object as it will be stored (metadata.namespace and status dropped)
 * @param digest identifies the declaration: equal digests, nothing to update
 * @param projects the projects it names: an Application's {@code spec.project}, every project an
 *     ApplicationSet's templates name; empty for an AppProject
 * @param invalid why the object cannot be used (bad name, a field of the wrong type), or null
 */
public record DesiredChild(
    ChildKey key, JsonNode document, String digest, Set<String> projects, String invalid) {

  public DesiredChild {
    projects = Set.copyOf(projects);
  }
}
