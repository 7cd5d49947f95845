package dev.flotilla.agent.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;

/**
 * Argo CD's apply order: by sync wave ({@value #WAVE_ANNOTATION}, default 0), then by kind so that
 * namespaces, config and RBAC exist before the workloads that use them, then by name. Unknown kinds
 * (custom resources) go last. Prune runs in the reverse order.
 */
public final class SyncOrder {

  /** Argo CD's annotation; honoured as-is so existing manifests keep their waves. */
  public static final String WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";

  static final List<String> KIND_ORDER =
      List.of(
          "Namespace",
          "NetworkPolicy",
          "ResourceQuota",
          "LimitRange",
          "PodSecurityPolicy",
          "PodDisruptionBudget",
          "ServiceAccount",
          "Secret",
          "SecretList",
          "ConfigMap",
          "StorageClass",
          "PersistentVolume",
          "PersistentVolumeClaim",
          "CustomResourceDefinition",
          "ClusterRole",
          "ClusterRoleList",
          "ClusterRoleBinding",
          "ClusterRoleBindingList",
          "Role",
          "RoleList",
          "RoleBinding",
          "RoleBindingList",
          "Service",
          "DaemonSet",
          "Pod",
          "ReplicationController",
          "ReplicaSet",
          "Deployment",
          "HorizontalPodAutoscaler",
          "StatefulSet",
          "Job",
          "CronJob",
          "IngressClass",
          "Ingress",
          "APIService");

  private SyncOrder() {}

  /** The object's wave; a malformed annotation is an error naming the object. */
  public static int wave(JsonNode object) {
    String text =
        object.path("metadata").path("annotations").path(WAVE_ANNOTATION).asText("").trim();
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          WAVE_ANNOTATION
              + " of "
              + object.path("kind").asText()
              + " "
              + object.path("metadata").path("name").asText()
              + " is '"
              + text
              + "', not an integer");
    }
  }

  /**
   * The wave, or 0 when the annotation is malformed (for live objects, which we did not render).
   */
  public static int waveOrZero(JsonNode object) {
    try {
      return wave(object);
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  public static int kindRank(String kind) {
    int i = KIND_ORDER.indexOf(kind);
    return i < 0 ? KIND_ORDER.size() : i;
  }

  /** Apply order within one wave. */
  public static final Comparator<JsonNode> WITHIN_WAVE =
      Comparator.<JsonNode>comparingInt(o -> kindRank(o.path("kind").asText()))
          .thenComparing(o -> o.path("kind").asText())
          .thenComparing(o -> o.path("metadata").path("namespace").asText(""))
          .thenComparing(o -> o.path("metadata").path("name").asText(""));
}
