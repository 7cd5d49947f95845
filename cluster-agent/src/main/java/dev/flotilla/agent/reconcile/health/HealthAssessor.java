package dev.flotilla.agent.reconcile.health;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Judges a live object's health the way Argo CD's built-in checks do (gitops-engine {@code
 * pkg/health}), from its {@code status}. Kinds without a check are Healthy once they exist.
 *
 * <p>Controllers write status; a server that runs none (the fabric8 mock API server, or a cluster
 * whose controller manager is down) never does. Argo then says Progressing for ever, and so do we
 * by default. {@link StatuslessWorkloads#HEALTHY} instead treats a workload that has <em>no status
 * at all</em> as Healthy — for demos on the mock server only, and the message says so.
 */
public final class HealthAssessor {

  /** What to conclude from a workload with no {@code status} at all. */
  public enum StatuslessWorkloads {
    /** As Argo CD: the rollout has not been observed yet. */
    PROGRESSING,
    /** The server runs no controllers: existence is all we can check. */
    HEALTHY
  }

  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Pod");
  private static final Set<String> IMAGE_FAILURES =
      Set.of(
          "CrashLoopBackOff",
          "ErrImagePull",
          "ImagePullBackOff",
          "CreateContainerConfigError",
          "InvalidImageName",
          "CreateContainerError");

  private final StatuslessWorkloads statusless;

  public HealthAssessor() {
    this(StatuslessWorkloads.PROGRESSING);
  }

  public HealthAssessor(StatuslessWorkloads statusless) {
    this.statusless = statusless;
  }

  /** Health of {@code live}; null means the object is missing. */
  public Health assess(JsonNode live) {
    if (live == null || live.isNull() || live.isMissingNode()) {
      return Health.MISSING;
    }
    String kind = live.path("kind").asText("");
    String group = group(live.path("apiVersion").asText(""));
    if (!live.path("metadata").path("deletionTimestamp").asText("").isEmpty()) {
      return Health.progressing("Pending deletion");
    }
    JsonNode status = live.path("status");
    if (statusless == StatuslessWorkloads.HEALTHY
        && WORKLOADS.contains(kind)
        && (status.isMissingNode() || status.isNull() || status.isEmpty())) {
      return Health.healthy(
          "no status reported (server runs no controllers); existence checked only");
    }
    return switch (group + "/" + kind) {
      case "apps/Deployment", "extensions/Deployment" -> deployment(live, status);
      case "apps/StatefulSet" -> statefulSet(live, status);
      case "apps/DaemonSet", "extensions/DaemonSet" -> daemonSet(live, status);
      case "apps/ReplicaSet", "extensions/ReplicaSet" -> replicaSet(live, status);
      case "/Pod" -> pod(live, status);
      case "/Service" -> service(live, status);
      case "networking.k8s.io/Ingress", "extensions/Ingress" -> ingress(status);
      case "/PersistentVolumeClaim" -> pvc(status);
      case "batch/Job" -> job(live, status);
      case "autoscaling/HorizontalPodAutoscaler" -> hpa(live, status);
      case "/Namespace" -> namespace(status);
      default -> Health.HEALTHY;
    };
  }

  private static String group(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  private static long generation(JsonNode live) {
    return live.path("metadata").path("generation").asLong(0);
  }

  private static boolean observed(JsonNode live, JsonNode status) {
    return generation(live) <= status.path("observedGeneration").asLong(0);
  }

  private static JsonNode condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return null;
  }

  private static Health deployment(JsonNode live, JsonNode status) {
    JsonNode spec = live.path("spec");
    if (spec.path("paused").asBoolean(false)) {
      return Health.suspended("Deployment is paused");
    }
    if (!observed(live, status)) {
      return Health.progressing(
          "Waiting for rollout to finish: observed deployment generation less than desired generation");
    }
    JsonNode progressing = condition(status, "Progressing");
    if (progressing != null
        && "ProgressDeadlineExceeded".equals(progressing.path("reason").asText())) {
      return Health.degraded("Deployment \"" + name(live) + "\" exceeded its progress deadline");
    }
    long replicas = spec.path("replicas").asLong(1);
    long updated = status.path("updatedReplicas").asLong(0);
    long total = status.path("replicas").asLong(0);
    long available = status.path("availableReplicas").asLong(0);
    if (updated < replicas) {
      return Health.progressing(
          "Waiting for rollout to finish: "
              + updated
              + " out of "
              + replicas
              + " new replicas have been updated...");
    }
    if (total > updated) {
      return Health.progressing(
          "Waiting for rollout to finish: "
              + (total - updated)
              + " old replicas are pending termination...");
    }
    if (available < updated) {
      return Health.progressing(
          "Waiting for rollout to finish: "
              + available
              + " of "
              + updated
              + " updated replicas are available...");
    }
    return Health.HEALTHY;
  }

  private static Health statefulSet(JsonNode live, JsonNode status) {
    if (status.path("observedGeneration").asLong(0) == 0 || !observed(live, status)) {
      return Health.progressing("Waiting for statefulset spec update to be observed...");
    }
    JsonNode spec = live.path("spec");
    long replicas = spec.path("replicas").asLong(1);
    long ready = status.path("readyReplicas").asLong(0);
    if (ready < replicas) {
      return Health.progressing("Waiting for " + (replicas - ready) + " pods to be ready...");
    }
    JsonNode strategy = spec.path("updateStrategy");
    if ("OnDelete".equals(strategy.path("type").asText())) {
      return Health.healthy("statefulset has OnDelete update strategy; rollout not tracked");
    }
    long partition = strategy.path("rollingUpdate").path("partition").asLong(0);
    if (partition > 0) {
      long updated = status.path("updatedReplicas").asLong(0);
      if (updated < replicas - partition) {
        return Health.progressing(
            "Waiting for partitioned roll out to finish: "
                + updated
                + " out of "
                + (replicas - partition)
                + " new pods have been updated...");
      }
      return Health.healthy("partitioned roll out complete");
    }
    String current = status.path("currentRevision").asText("");
    String update = status.path("updateRevision").asText("");
    if (!update.isEmpty() && !current.equals(update)) {
      return Health.progressing("waiting for statefulset rolling update to complete");
    }
    return Health.healthy("statefulset rolling update complete");
  }

  private static Health daemonSet(JsonNode live, JsonNode status) {
    if (!observed(live, status)) {
      return Health.progressing(
          "Waiting for rollout to finish: observed daemon set generation less than desired generation");
    }
    if ("OnDelete".equals(live.path("spec").path("updateStrategy").path("type").asText())) {
      return Health.healthy("daemon set has OnDelete update strategy; rollout not tracked");
    }
    long desired = status.path("desiredNumberScheduled").asLong(0);
    long updated = status.path("updatedNumberScheduled").asLong(0);
    long available = status.path("numberAvailable").asLong(0);
    if (updated < desired) {
      return Health.progressing(
          "Waiting for daemon set \""
              + name(live)
              + "\" rollout to finish: "
              + updated
              + " out of "
              + desired
              + " new pods have been updated...");
    }
    if (available < desired) {
      return Health.progressing(
          "Waiting for daemon set \""
              + name(live)
              + "\" rollout to finish: "
              + available
              + " of "
              + desired
              + " updated pods are available...");
    }
    return Health.HEALTHY;
  }

  private static Health replicaSet(JsonNode live, JsonNode status) {
    if (!observed(live, status)) {
      return Health.progressing(
          "Waiting for rollout to finish: observed replica set generation less than desired generation");
    }
    JsonNode failure = condition(status, "ReplicaFailure");
    if (failure != null && "True".equals(failure.path("status").asText())) {
      return Health.degraded(failure.path("message").asText("replica failure"));
    }
    long replicas = live.path("spec").path("replicas").asLong(1);
    long available = status.path("availableReplicas").asLong(0);
    if (available < replicas) {
      return Health.progressing(
          "Waiting for rollout to finish: "
              + available
              + " out of "
              + replicas
              + " new replicas are available...");
    }
    return Health.HEALTHY;
  }

  private static Health pod(JsonNode live, JsonNode status) {
    String phase = status.path("phase").asText("");
    for (JsonNode cs : status.path("containerStatuses")) {
      String reason = cs.path("state").path("waiting").path("reason").asText("");
      if (IMAGE_FAILURES.contains(reason)) {
        return Health.degraded(cs.path("state").path("waiting").path("message").asText(reason));
      }
    }
    switch (phase) {
      case "Pending":
        return Health.progressing(status.path("message").asText("Pod is pending"));
      case "Succeeded":
        return Health.healthy(status.path("message").asText(""));
      case "Failed":
        return Health.degraded(status.path("message").asText("Pod failed"));
      case "Running":
        String restartPolicy = live.path("spec").path("restartPolicy").asText("Always");
        if (!"Always".equals(restartPolicy)) {
          return Health.progressing(status.path("message").asText("Pod is running"));
        }
        JsonNode ready = condition(status, "Ready");
        if (ready != null && "True".equals(ready.path("status").asText())) {
          return Health.healthy(status.path("message").asText(""));
        }
        return Health.progressing(status.path("message").asText("Pod is running but not ready"));
      default:
        return Health.unknown(status.path("message").asText("Pod phase is unknown"));
    }
  }

  private static Health service(JsonNode live, JsonNode status) {
    if ("LoadBalancer".equals(live.path("spec").path("type").asText())) {
      JsonNode ingress = status.path("loadBalancer").path("ingress");
      if (ingress.isArray() && !ingress.isEmpty()) {
        return Health.HEALTHY;
      }
      return Health.progressing("Waiting for the load balancer to be provisioned");
    }
    return Health.HEALTHY;
  }

  private static Health ingress(JsonNode status) {
    JsonNode ingress = status.path("loadBalancer").path("ingress");
    if (ingress.isArray() && !ingress.isEmpty()) {
      return Health.HEALTHY;
    }
    return Health.progressing("Waiting for the ingress to get an address");
  }

  private static Health pvc(JsonNode status) {
    return switch (status.path("phase").asText("")) {
      case "Lost" -> Health.degraded("PersistentVolumeClaim is lost");
      case "Pending" -> Health.progressing("PersistentVolumeClaim is pending");
      case "Bound" -> Health.HEALTHY;
      default -> Health.unknown("PersistentVolumeClaim phase is not reported");
    };
  }

  private static Health job(JsonNode live, JsonNode status) {
    for (JsonNode c : status.path("conditions")) {
      if (!"True".equals(c.path("status").asText())) {
        continue;
      }
      switch (c.path("type").asText()) {
        case "Failed":
          return Health.degraded(c.path("message").asText("Job failed"));
        case "Complete":
          return Health.healthy(c.path("message").asText("Job completed"));
        case "Suspended":
          return Health.suspended(c.path("message").asText("Job is suspended"));
        default:
          break;
      }
    }
    if (live.path("spec").path("suspend").asBoolean(false)) {
      return Health.suspended("Job is suspended");
    }
    return Health.progressing("Job is running");
  }

  private static Health hpa(JsonNode live, JsonNode status) {
    JsonNode conditions = status.path("conditions");
    if ((!conditions.isArray() || conditions.isEmpty())
        && "autoscaling/v1".equals(live.path("apiVersion").asText())
        && status.has("currentReplicas")) {
      // autoscaling/v1 has no conditions in status; a reported replica count means it is working.
      return Health.HEALTHY;
    }
    if (!conditions.isArray() || conditions.isEmpty()) {
      return Health.progressing("Waiting to Autoscale");
    }
    for (JsonNode c : conditions) {
      String type = c.path("type").asText();
      String reason = c.path("reason").asText("");
      if ("False".equals(c.path("status").asText())
          && ("AbleToScale".equals(type) || "ScalingActive".equals(type))
          && reason.startsWith("Failed")) {
        return Health.degraded(c.path("message").asText(reason));
      }
    }
    return Health.HEALTHY;
  }

  private static Health namespace(JsonNode status) {
    if ("Terminating".equals(status.path("phase").asText(""))) {
      return Health.progressing("Namespace is terminating");
    }
    return Health.HEALTHY;
  }

  private static String name(JsonNode live) {
    return live.path("metadata").path("name").asText("");
  }
}
