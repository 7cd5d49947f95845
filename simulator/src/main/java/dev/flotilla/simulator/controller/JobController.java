package dev.flotilla.simulator.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.simulator.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The Job controller: keeps {@code min(parallelism, completions - succeeded)} Pods running until
 * {@code completions} have Succeeded (conditions SuccessCriteriaMet and Complete, completionTime)
 * or more than {@code backoffLimit} have Failed (FailureTarget and Failed, BackoffLimitExceeded).
 * Counting is by the Pods that exist (no tracking finalizers); CronJobs are not simulated.
 */
final class JobController implements Reconciler {

  static final String NAME = "job";
  private static final String COMPONENT = "job-controller";

  private final ObjectStore store;
  private final StoreWriter writer;
  private final ClusterTypes types;
  private final EventRecorder events;
  private final Clock clock;

  JobController(StoreWriter writer, ClusterTypes types, EventRecorder events, Clock clock) {
    this.store = writer.store();
    this.writer = writer;
    this.types = types;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public Duration reconcile(String namespace, String name) {
    ObjectNode job = store.get(types.jobs(), namespace, name).orElse(null);
    if (job == null || Meta.deleting(job) || finished(job)) {
      return null;
    }
    List<ObjectNode> pods = store.list(types.pods(), namespace, PodTemplates.ownedBy(job));
    long succeeded = count(pods, "Succeeded");
    long failed = count(pods, "Failed");
    List<ObjectNode> active = pods.stream().filter(PodTemplates::active).toList();
    JsonNode spec = job.path("spec");
    int completions = spec.path("completions").asInt(1);
    int parallelism = spec.path("parallelism").asInt(1);
    int backoffLimit = spec.path("backoffLimit").asInt(6);
    String outcome = null;
    if (failed > backoffLimit) {
      outcome = "Failed";
      for (ObjectNode pod : active) {
        writer.delete(types.pods(), namespace, Meta.name(pod));
      }
      active = List.of();
      events.warning(
          job, COMPONENT, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    } else if (succeeded >= completions) {
      outcome = "Complete";
      events.normal(job, COMPONENT, "Completed", "Job completed");
    } else if (!spec.path("suspend").asBoolean(false)) {
      long want = Math.min(parallelism, completions - succeeded) - active.size();
      for (long i = 0; i < want; i++) {
        create(job);
      }
      active =
          store.list(types.pods(), namespace, PodTemplates.ownedBy(job)).stream()
              .filter(PodTemplates::active)
              .toList();
    }
    writeStatus(job, active, succeeded, failed, outcome);
    return null;
  }

  private static boolean finished(JsonNode job) {
    for (JsonNode c : job.path("status").path("conditions")) {
      String type = c.path("type").asText();
      if (("Complete".equals(type) || "Failed".equals(type))
          && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  private static long count(List<ObjectNode> pods, String phase) {
    return pods.stream().filter(p -> phase.equals(p.path("status").path("phase").asText())).count();
  }

  private void create(ObjectNode job) {
    ObjectNode pod = PodTemplates.pod(job.path("spec").path("template"), job, "batch/v1", "Job");
    Meta.obj(Meta.metadata(pod), "labels")
        .put("batch.kubernetes.io/controller-uid", Meta.uid(job))
        .put("batch.kubernetes.io/job-name", Meta.name(job))
        .put("controller-uid", Meta.uid(job))
        .put("job-name", Meta.name(job));
    ObjectNode created = writer.createWithSuffix(types.pods(), pod, Meta.name(job) + "-");
    events.normal(job, COMPONENT, "SuccessfulCreate", "Created pod: " + Meta.name(created));
  }

  private void writeStatus(
      ObjectNode job, List<ObjectNode> active, long succeeded, long failed, String outcome) {
    String now = Meta.time(clock.instant());
    long ready = active.stream().filter(PodTemplates::ready).count();
    writer.modify(
        types.jobs(),
        Meta.namespace(job),
        Meta.name(job),
        true,
        j -> {
          ObjectNode status = Meta.obj(j, "status");
          if (!status.has("startTime")) {
            status.put("startTime", now);
          }
          Meta.putCount(status, "active", active.size());
          Meta.putCount(status, "succeeded", succeeded);
          Meta.putCount(status, "failed", failed);
          status.put("ready", ready);
          status.put("terminating", 0);
          status.putObject("uncountedTerminatedPods");
          if (outcome != null) {
            ArrayNode conditions = status.putArray("conditions");
            if ("Complete".equals(outcome)) {
              condition(
                  conditions,
                  "SuccessCriteriaMet",
                  "CompletionsReached",
                  "Reached expected number of succeeded pods",
                  now);
              condition(
                  conditions,
                  "Complete",
                  "CompletionsReached",
                  "Reached expected number of succeeded pods",
                  now);
              status.put("completionTime", now);
            } else {
              condition(
                  conditions,
                  "FailureTarget",
                  "BackoffLimitExceeded",
                  "Job has reached the specified backoff limit",
                  now);
              condition(
                  conditions,
                  "Failed",
                  "BackoffLimitExceeded",
                  "Job has reached the specified backoff limit",
                  now);
            }
          }
          return j;
        });
  }

  private static void condition(
      ArrayNode conditions, String type, String reason, String message, String now) {
    conditions
        .addObject()
        .put("type", type)
        .put("status", "True")
        .put("lastProbeTime", now)
        .put("lastTransitionTime", now)
        .put("reason", reason)
        .put("message", message);
  }
}
