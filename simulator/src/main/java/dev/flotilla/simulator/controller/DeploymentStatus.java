package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A Deployment's status as the real controller computes it: counts summed over its ReplicaSets,
 * {@code Available} (MinimumReplicasAvailable / MinimumReplicasUnavailable) and {@code Progressing}
 * (ReplicaSetUpdated while pods move, NewReplicaSetAvailable when done, ProgressDeadlineExceeded
 * when no progress was made for {@code progressDeadlineSeconds}, DeploymentPaused).
 */
final class DeploymentStatus {

  private DeploymentStatus() {}

  /** Writes the status; returns when to check the progress deadline, or null. */
  static Duration write(
      StoreWriter writer,
      ClusterTypes types,
      ObjectNode deployment,
      ObjectNode newRs,
      List<ObjectNode> all,
      Clock clock) {
    Instant now = clock.instant();
    int desired = Meta.replicas(deployment);
    int specTotal = all.stream().mapToInt(Meta::replicas).sum();
    int replicas = sum(all, "replicas");
    int updated = newRs == null ? 0 : newRs.path("status").path("replicas").asInt();
    int ready = sum(all, "readyReplicas");
    int available = sum(all, "availableReplicas");
    int unavailable = Math.max(0, specTotal - available);
    RolloutMath.Limits limits = RolloutMath.limits(deployment);
    int deadline = deployment.path("spec").path("progressDeadlineSeconds").asInt(600);
    Duration[] recheck = {null};
    writer.modify(
        types.deployments(),
        Meta.namespace(deployment),
        Meta.name(deployment),
        true,
        d -> {
          ObjectNode status = Meta.obj(d, "status");
          JsonNode before = status.deepCopy();
          status.put("observedGeneration", Meta.generation(d));
          Meta.putCount(status, "replicas", replicas);
          Meta.putCount(status, "updatedReplicas", updated);
          Meta.putCount(status, "readyReplicas", ready);
          Meta.putCount(status, "availableReplicas", available);
          Meta.putCount(status, "unavailableReplicas", unavailable);
          boolean minimum = available >= desired - limits.unavailable();
          ArrayNode conditions = Meta.JSON.arrayNode();
          String nowText = Meta.time(now);
          condition(
              conditions,
              before,
              "Available",
              minimum ? "True" : "False",
              minimum ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
              minimum
                  ? "Deployment has minimum availability."
                  : "Deployment does not have minimum availability.",
              nowText,
              false);
          String rsName = newRs == null ? "" : Meta.name(newRs);
          JsonNode progressing = find(before, "Progressing");
          boolean complete =
              newRs != null
                  && updated == desired
                  && replicas == desired
                  && available == desired
                  && specTotal == desired;
          boolean moved = counts(before, replicas, updated, ready, available);
          if (d.path("spec").path("paused").asBoolean(false)) {
            condition(
                conditions,
                before,
                "Progressing",
                "Unknown",
                "DeploymentPaused",
                "Deployment is paused",
                nowText,
                false);
          } else if (complete) {
            condition(
                conditions,
                before,
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                "ReplicaSet \"" + rsName + "\" has successfully progressed.",
                nowText,
                moved || !"NewReplicaSetAvailable".equals(progressing.path("reason").asText()));
          } else if (moved
              || progressing.isMissingNode()
              || "NewReplicaSetAvailable".equals(progressing.path("reason").asText())
              || "DeploymentPaused".equals(progressing.path("reason").asText())) {
            condition(
                conditions,
                before,
                "Progressing",
                "True",
                "ReplicaSetUpdated",
                "ReplicaSet \"" + rsName + "\" is progressing.",
                nowText,
                true);
            recheck[0] = Duration.ofSeconds(deadline).plusMillis(500);
          } else {
            Instant last = Meta.parseTime(progressing.path("lastUpdateTime"));
            if (last != null && !last.plusSeconds(deadline).isAfter(now)) {
              condition(
                  conditions,
                  before,
                  "Progressing",
                  "False",
                  "ProgressDeadlineExceeded",
                  "ReplicaSet \"" + rsName + "\" has timed out progressing.",
                  nowText,
                  true);
            } else {
              conditions.add(progressing.deepCopy());
              if (last != null) {
                recheck[0] = Duration.between(now, last.plusSeconds(deadline)).plusMillis(500);
              }
            }
          }
          status.set("conditions", conditions);
          return d;
        });
    return recheck[0];
  }

  private static boolean counts(
      JsonNode before, int replicas, int updated, int ready, int available) {
    return before.path("replicas").asInt() != replicas
        || before.path("updatedReplicas").asInt() != updated
        || before.path("readyReplicas").asInt() != ready
        || before.path("availableReplicas").asInt() != available;
  }

  private static int sum(List<ObjectNode> replicaSets, String field) {
    return replicaSets.stream().mapToInt(rs -> rs.path("status").path(field).asInt(0)).sum();
  }

  private static JsonNode find(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** Keeps lastTransitionTime while the status stays; lastUpdateTime moves when asked. */
  private static void condition(
      ArrayNode conditions,
      JsonNode before,
      String type,
      String status,
      String reason,
      String message,
      String now,
      boolean touch) {
    JsonNode old = find(before, type);
    boolean same = status.equals(old.path("status").asText());
    boolean unchanged = same && reason.equals(old.path("reason").asText());
    conditions
        .addObject()
        .put("type", type)
        .put("status", status)
        .put("lastUpdateTime", unchanged && !touch ? old.path("lastUpdateTime").asText(now) : now)
        .put("lastTransitionTime", same ? old.path("lastTransitionTime").asText(now) : now)
        .put("reason", reason)
        .put("message", message);
  }
}
