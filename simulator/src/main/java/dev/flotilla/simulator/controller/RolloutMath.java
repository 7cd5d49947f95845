package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;

/** The RollingUpdate arithmetic of the Deployment controller: pure, table-tested. */
final class RolloutMath {

  private RolloutMath() {}

  /** {@code maxSurge} and {@code maxUnavailable} resolved against the desired replicas. */
  record Limits(int surge, int unavailable) {}

  static Limits limits(JsonNode deployment) {
    int desired = Meta.replicas(deployment);
    JsonNode rolling = deployment.path("spec").path("strategy").path("rollingUpdate");
    if (!"RollingUpdate"
        .equals(deployment.path("spec").path("strategy").path("type").asText("RollingUpdate"))) {
      return new Limits(0, 0);
    }
    int surge = resolve(rolling.path("maxSurge"), desired, true);
    int unavailable = resolve(rolling.path("maxUnavailable"), desired, false);
    if (surge == 0 && unavailable == 0) {
      // The API server refuses both zero; the controller guarantees progress with one.
      unavailable = 1;
    }
    return new Limits(surge, Math.min(unavailable, desired));
  }

  /** An IntOrString: a count, or a percentage of {@code total} rounded up or down. */
  static int resolve(JsonNode value, int total, boolean roundUp) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      value = Meta.JSON.textNode("25%");
    }
    if (value.isNumber()) {
      return Math.max(0, value.asInt());
    }
    String text = value.asText().trim();
    if (text.endsWith("%")) {
      int percent;
      try {
        percent = Integer.parseInt(text.substring(0, text.length() - 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("invalid percentage \"" + text + "\"");
      }
      double exact = total * percent / 100.0;
      return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
    }
    try {
      return Math.max(0, Integer.parseInt(text));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid value \"" + text + "\": must be an integer or a percentage");
    }
  }

  /** How many replicas the new ReplicaSet may have now (never more than desired). */
  static int newReplicaSetReplicas(int desired, int surge, int newReplicas, int totalReplicas) {
    if (newReplicas >= desired) {
      return desired;
    }
    int room = desired + surge - totalReplicas;
    if (room <= 0) {
      return newReplicas;
    }
    return newReplicas + Math.min(room, desired - newReplicas);
  }

  /**
   * How many old replicas may go now without the Deployment dropping under {@code desired -
   * unavailable}, counting the new ReplicaSet's pods that are not available yet as lost. Unhealthy
   * old pods are removed from this budget first (they cost no availability).
   */
  static int maxScaledDown(
      int desired, int unavailable, int allReplicas, int newReplicas, int newAvailable) {
    int minAvailable = desired - unavailable;
    int newUnavailable = newReplicas - newAvailable;
    return Math.max(0, allReplicas - minAvailable - newUnavailable);
  }

  /**
   * How many available old replicas may go after that: those above {@code desired - unavailable}.
   */
  static int availableScaleDown(int desired, int unavailable, int availableTotal) {
    return Math.max(0, availableTotal - (desired - unavailable));
  }
}
