package dev.flotilla.controlplane.proxy;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.core.time.Durations;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.agent.v1.ResourceRequest;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's end of the resource proxy: sends a request to the agent of a cluster over the
 * stream that agent opened, and keeps it by id until its answer has come in — all its parts, in
 * order — or its time is up. Answers to different requests may arrive in any order. Nothing waits
 * on a thread: a request is a Vert.x future completed by the answer, a timer or the agent's
 * disconnection.
 */
public final class ResourceBroker {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceBroker.class);

  /**
   * The way to the agents: the dispatcher's sessions on this replica, and through the database the
   * agents connected to other replicas ({@link ReplicaResourceLink}).
   */
  public interface AgentLink {
    /**
     * Sends the request to the cluster's agent; completes with false when no replica holds that
     * agent's stream. Must not block.
     */
    Future<Boolean> send(String cluster, ResourceRequest request);

    /** Tells the cluster's agent nobody waits for the request any more. */
    void cancel(String cluster, String id);

    /**
     * A part nobody on this replica waits for: another replica may (a relayed request). True when
     * it was taken.
     */
    default boolean unclaimed(String cluster, ResourceResponse part) {
      return false;
    }

    /** The request has ended here (answered, failed or timed out): forget what it left behind. */
    default void done(String id) {}

    /** The cluster's agent left this replica: requests relayed to it from elsewhere fail. */
    default void disconnected(String cluster) {}

    static AgentLink of(AgentDispatcher dispatcher) {
      return new AgentLink() {
        @Override
        public Future<Boolean> send(String cluster, ResourceRequest request) {
          return Future.succeededFuture(dispatcher.requestResource(cluster, request));
        }

        @Override
        public void cancel(String cluster, String id) {
          dispatcher.cancelResource(cluster, id);
        }
      };
    }
  }

  private final Vertx vertx;
  private final AgentLink dispatcher;
  private final Duration timeout;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /**
   * @param timeout how long to wait for an answer, and between the parts of one
   */
  public ResourceBroker(Vertx vertx, AgentLink dispatcher, Duration timeout) {
    this.vertx = vertx;
    this.dispatcher = dispatcher;
    this.timeout = timeout;
  }

  /** Requests in flight (tests). */
  int pending() {
    return pending.size();
  }

  /**
   * Asks and collects the whole answer: its parts merged into one response.
   *
   * @return the answer; failed UNAVAILABLE when the agent is not connected, goes away or does not
   *     answer in time; failed with the agent's own refusal (NOT_FOUND, INVALID...) otherwise
   */
  public Future<ResourceResponse> ask(String cluster, ResourceRequest.Builder request) {
    ResourceResponse.Builder whole = ResourceResponse.newBuilder();
    long[] bytes = {0};
    return start(
            cluster,
            request,
            false,
            part -> {
              bytes[0] += part.getSerializedSize();
              if (bytes[0]
                  > ResourceProxyLimits.MAX_ANSWER_BYTES + ResourceProxyLimits.PART_BYTES) {
                throw new ApiException(
                    ApiException.Kind.TOO_LARGE,
                    "the agent's answer is over "
                        + ResourceProxyLimits.MAX_ANSWER_BYTES
                        + " bytes: ask for less");
              }
              whole.mergeFrom(part);
            })
        .map(v -> whole.setPart(0).setLast(true).build());
  }

  /**
   * Asks and hands over each part as it comes (a log follow). The agent sends a first, empty part
   * at once; after it no part is awaited within the timeout (lines come when they come), and the
   * follow ends when the agent ends it, disconnects, or {@code cancel} is completed.
   *
   * @param cancel completed by the caller when it goes away: the agent is told to stop
   * @return completed when the answer has ended
   */
  public Future<Void> follow(
      String cluster,
      ResourceRequest.Builder request,
      Consumer<ResourceResponse> parts,
      Future<Void> cancel) {
    String id = newId(request);
    Future<Void> done = start(cluster, request.setId(id), true, parts);
    cancel.onComplete(
        v -> {
          Pending p = pending.get(id);
          if (p != null) {
            p.finish();
            dispatcher.cancel(cluster, id);
          }
        });
    return done;
  }

  private Future<Void> start(
      String cluster,
      ResourceRequest.Builder request,
      boolean follow,
      Consumer<ResourceResponse> parts) {
    String id = newId(request);
    Pending p = new Pending(id, cluster, follow, parts);
    pending.put(id, p);
    // Armed before sending: the wait covers a send that has to go through another replica.
    p.arm();
    dispatcher
        .send(cluster, request.setId(id).build())
        .onComplete(
            sent -> {
              if (sent.failed()) {
                LOG.debug("cannot pass request {} on to cluster {}", id, cluster, sent.cause());
                p.fail(
                    new ApiException(
                        ApiException.Kind.UNAVAILABLE,
                        "cannot reach the agent of cluster '"
                            + cluster
                            + "' through another control-plane replica; try again"));
              } else if (!sent.result()) {
                p.fail(notConnected(cluster));
              }
            });
    return p.done.future();
  }

  private static String newId(ResourceRequest.Builder request) {
    return request.getId().isEmpty() ? UUID.randomUUID().toString() : request.getId();
  }

  static ApiException notConnected(String cluster) {
    return new ApiException(
        ApiException.Kind.UNAVAILABLE, "the agent of cluster '" + cluster + "' is not connected");
  }

  /** A part from an agent; one for no request we wait for (late, or another's) is dropped. */
  public void answered(String cluster, ResourceResponse part) {
    Pending p = pending.get(part.getId());
    if (p == null && dispatcher.unclaimed(cluster, part)) {
      return;
    }
    if (p == null || !p.cluster.equals(cluster)) {
      LOG.debug("dropping answer {} from cluster {}: nobody waits for it", part.getId(), cluster);
      return;
    }
    p.receive(part);
  }

  /** The cluster's agent went away: everything asked of it fails now rather than at its timeout. */
  public void disconnected(String cluster) {
    dispatcher.disconnected(cluster);
    for (Pending p : pending.values()) {
      if (p.cluster.equals(cluster)) {
        p.fail(
            new ApiException(
                ApiException.Kind.UNAVAILABLE,
                "the agent of cluster '" + cluster + "' disconnected before it answered"));
      }
    }
  }

  /** The agent's refusal as the API's error. */
  static ApiException refusal(ResourceResponse r) {
    ApiException.Kind kind =
        switch (r.getErrorCode()) {
          case "NOT_FOUND" -> ApiException.Kind.NOT_FOUND;
          case "INVALID_ARGUMENT" -> ApiException.Kind.INVALID;
          case "FAILED_PRECONDITION" -> ApiException.Kind.PRECONDITION;
          case "RESOURCE_EXHAUSTED" -> ApiException.Kind.TOO_LARGE;
          default -> ApiException.Kind.UNAVAILABLE;
        };
    return new ApiException(kind, r.getError());
  }

  private final class Pending {
    final String id;
    final String cluster;
    final boolean follow;
    final Consumer<ResourceResponse> parts;
    final Promise<Void> done = Promise.promise();
    private int expected;
    private long timer = -1;

    Pending(String id, String cluster, boolean follow, Consumer<ResourceResponse> parts) {
      this.id = id;
      this.cluster = cluster;
      this.follow = follow;
      this.parts = parts;
    }

    /** (Re)starts the wait for the next part. */
    synchronized void arm() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      timer =
          vertx.setTimer(
              timeout.toMillis(),
              t ->
                  fail(
                      new ApiException(
                          ApiException.Kind.UNAVAILABLE,
                          "the agent of cluster '"
                              + cluster
                              + "' did not answer within "
                              + Durations.format(timeout))));
    }

    synchronized void receive(ResourceResponse part) {
      if (done.future().isComplete()) {
        return;
      }
      if (part.getPart() != expected) {
        // One stream keeps the agent's order: a gap means parts were lost; never show half.
        fail(
            new ApiException(
                ApiException.Kind.UNAVAILABLE,
                "the agent's answer came incomplete (part "
                    + part.getPart()
                    + " where "
                    + expected
                    + " was due); try again"));
        dispatcher.cancel(cluster, id);
        return;
      }
      expected++;
      if (!part.getErrorCode().isEmpty()) {
        fail(refusal(part));
        return;
      }
      try {
        parts.accept(part);
      } catch (RuntimeException e) {
        fail(e);
        dispatcher.cancel(cluster, id);
        return;
      }
      if (part.getLast()) {
        finish();
      } else if (follow) {
        if (timer >= 0) {
          vertx.cancelTimer(timer); // lines come when the container writes them
          timer = -1;
        }
      } else {
        arm();
      }
    }

    synchronized void finish() {
      pending.remove(id);
      dispatcher.done(id);
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      done.tryComplete();
    }

    synchronized void fail(Throwable e) {
      pending.remove(id);
      dispatcher.done(id);
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      done.tryFail(e);
    }
  }
}
