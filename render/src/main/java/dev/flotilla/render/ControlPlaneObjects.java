package dev.flotilla.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * App of Apps: Argo CD's own objects (group {@code argoproj.io}, kinds Application, ApplicationSet
 * and AppProject) in an Application's manifests are the control plane's, never a cluster's. The
 * control plane reads them from Git itself; the agent drops them from what it applies, compares and
 * prunes. One rule, here, so that both sides split the manifests the same way.
 */
public final class ControlPlaneObjects {

  /** Argo CD's API group. */
  public static final String GROUP = "argoproj.io";

  /** The kinds the control plane takes. */
  public static final Set<String> KINDS = Set.of("Application", "ApplicationSet", "AppProject");

  private ControlPlaneObjects() {}

  /** Whether {@code object} (of any version of the group) belongs to the control plane. */
  public static boolean isControlPlaneObject(JsonNode object) {
    return object.path("apiVersion").asText("").startsWith(GROUP + "/")
        && KINDS.contains(object.path("kind").asText(""));
  }

  /** {@code rendered} without the control plane's objects, in order. */
  public static List<ObjectNode> forCluster(List<ObjectNode> rendered) {
    return rendered.stream().filter(o -> !isControlPlaneObject(o)).toList();
  }
}
