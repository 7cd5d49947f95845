package dev.flotilla.controlplane.drift;

import io.vertx.core.json.JsonObject;

/**
 * Drift counted for one cluster, project or team, over every page of a report.
 *
 * @param key the cluster, project or team name
 * @param objects drifted objects
 * @param unhealed of those, how many are still drifted (newest drift not reverted)
 * @param events drift events behind them (recurrences included)
 */
public record DriftTotal(String key, long objects, long unhealed, long events) {

  DriftTotal plus(DriftTotal other) {
    return new DriftTotal(
        key, objects + other.objects, unhealed + other.unhealed, events + other.events);
  }

  JsonObject toJson(String keyName) {
    return new JsonObject()
        .put(keyName, key)
        .put("objects", objects)
        .put("unhealed", unhealed)
        .put("events", events);
  }
}
