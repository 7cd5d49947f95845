package dev.flotilla.controlplane.proxy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.flotilla.controlplane.dispatch.AgentDispatcher;
import dev.flotilla.controlplane.dispatch.AgentRelay;
import dev.flotilla.controlplane.replica.ReplicaEvent;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.agent.v1.ResourceRequest;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resource proxy across control-plane replicas: every replica serves the UI and the API, but an
 * agent's stream ends at one of them. A request for an agent connected here goes straight to it;
 * one for an agent connected to another replica goes there as a {@code RESOURCE_REQUEST} replica
 * event, that replica asks its agent and writes each part of the answer to {@code resource_relay}
 * (a NOTIFY wakes the asker), and the asker hands the parts to its broker in order — the broker
 * checks order, size and time exactly as for a local agent. A cancelled follow travels back as
 * {@code RESOURCE_CANCEL}. A missed notification costs at most {@link #CATCH_UP}: the asker also
 * reads its open requests on a timer.
 */
public final class ReplicaResourceLink implements ResourceBroker.AgentLink, AutoCloseable {

  /** How often open relayed requests are read without a notification. */
  static final Duration CATCH_UP = Duration.ofSeconds(1);

  private static final int PRUNE_EVERY = 60;

  private static final Logger LOG = LoggerFactory.getLogger(ReplicaResourceLink.class);

  private final Vertx vertx;
  private final AgentDispatcher dispatcher;
  private final AgentRelay relay;
  private final ResourceRelayRepository parts;
  private final ResourceRelayRepository.Listener subscriber;
  private final long timer;

  /** Requests asked here of agents elsewhere, by id. */
  private final Map<String, Asked> asked = new ConcurrentHashMap<>();

  /** Requests other replicas asked of agents connected here, by id. */
  private final Map<String, Forwarded> forwarded = new ConcurrentHashMap<>();

  private volatile BiConsumer<String, ResourceResponse> answers = (cluster, part) -> {};
  private volatile boolean closed;

  /** Counted on the timer's event loop: every {@link #PRUNE_EVERY}th sweep also prunes. */
  private long sweeps;

  public ReplicaResourceLink(
      Vertx vertx, AgentDispatcher dispatcher, AgentRelay relay, ResourceRelayRepository parts) {
    this.vertx = vertx;
    this.dispatcher = dispatcher;
    this.relay = relay;
    this.parts = parts;
    this.subscriber = parts.listen(vertx, this::read);
    connect();
    this.timer = vertx.setPeriodic(CATCH_UP.toMillis(), id -> sweep());
  }

  /** Where parts read from other replicas go: the broker's {@code answered}. */
  void deliverTo(BiConsumer<String, ResourceResponse> answers) {
    this.answers = answers;
  }

  private void connect() {
    if (closed) {
      return;
    }
    subscriber
        .connect()
        .onFailure(
            e -> {
              LOG.debug("cannot LISTEN for relayed answers (reading every {})", CATCH_UP, e);
              vertx.setTimer(CATCH_UP.toMillis(), id -> connect());
            });
  }

  @Override
  public Future<Boolean> send(String cluster, ResourceRequest request) {
    if (dispatcher.requestResource(cluster, request)) {
      return Future.succeededFuture(true);
    }
    return relay
        .connectedElsewhere(cluster)
        .compose(
            elsewhere -> {
              if (!elsewhere) {
                return Future.succeededFuture(false);
              }
              asked.put(request.getId(), new Asked(cluster));
              return relay
                  .publish(
                      new ReplicaEvent(
                          ReplicaEvent.Kind.RESOURCE_REQUEST,
                          List.of(cluster),
                          List.of(request.getApplication()),
                          Base64.getEncoder().encodeToString(request.toByteArray())))
                  .map(true)
                  .onFailure(e -> asked.remove(request.getId()));
            });
  }

  @Override
  public void cancel(String cluster, String id) {
    if (asked.remove(id) == null) {
      dispatcher.cancelResource(cluster, id);
      return;
    }
    parts.forget(id).onFailure(e -> LOG.debug("cannot remove the parts of {}", id, e));
    relay
        .publish(
            new ReplicaEvent(ReplicaEvent.Kind.RESOURCE_CANCEL, List.of(cluster), List.of(), id))
        .onFailure(e -> LOG.debug("cannot tell the agent's replica to stop {}", id, e));
  }

  @Override
  public void done(String id) {
    if (asked.remove(id) != null) {
      parts.forget(id).onFailure(e -> LOG.debug("cannot remove the parts of {}", id, e));
    }
  }

  /** A part of an answer asked for by another replica: written for it. */
  @Override
  public boolean unclaimed(String cluster, ResourceResponse part) {
    Forwarded f = forwarded.get(part.getId());
    if (f == null || !f.cluster.equals(cluster)) {
      return false;
    }
    if (part.getLast() || !part.getErrorCode().isEmpty()) {
      forwarded.remove(part.getId());
    }
    f.next = part.getPart() + 1;
    write(part);
    return true;
  }

  @Override
  public void disconnected(String cluster) {
    forwarded.forEach(
        (id, f) -> {
          if (f.cluster.equals(cluster) && forwarded.remove(id, f)) {
            write(
                ResourceResponse.newBuilder()
                    .setId(id)
                    .setPart(f.next)
                    .setLast(true)
                    .setErrorCode("UNAVAILABLE")
                    .setError(
                        "the agent of cluster '" + cluster + "' disconnected before it answered")
                    .build());
          }
        });
  }

  /** What another replica asked of an agent: done when that agent is connected here. */
  public void onReplicaEvent(ReplicaEvent event) {
    if (event.clusters().isEmpty() || event.detail() == null) {
      return;
    }
    String cluster = event.clusters().get(0);
    switch (event.kind()) {
      case RESOURCE_REQUEST -> forward(cluster, event.detail());
      case RESOURCE_CANCEL -> {
        if (forwarded.remove(event.detail()) != null) {
          dispatcher.cancelResource(cluster, event.detail());
        }
      }
      default -> {
        // Not about the resource proxy.
      }
    }
  }

  private void forward(String cluster, String encoded) {
    if (!dispatcher.isConnected(cluster)) {
      return; // Another replica's, or nobody's: the asker's wait ends it.
    }
    ResourceRequest request;
    try {
      request = ResourceRequest.parseFrom(Base64.getDecoder().decode(encoded));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      LOG.warn("dropping a resource request from another replica that cannot be read", e);
      return;
    }
    forwarded.put(request.getId(), new Forwarded(cluster));
    if (!dispatcher.requestResource(cluster, request)) {
      disconnected(cluster);
    }
  }

  private void write(ResourceResponse part) {
    parts
        .put(part.getId(), part.getPart(), part.toByteArray())
        .onFailure(
            e ->
                LOG.warn(
                    "cannot pass part {} of answer {} on to the asking replica: {}",
                    part.getPart(),
                    part.getId(),
                    e.toString()));
  }

  /** Reads the parts written for one of this replica's requests and hands them over in order. */
  private void read(String id) {
    Asked a = asked.get(id);
    if (a == null) {
      return;
    }
    int from;
    synchronized (a) {
      if (a.reading) {
        a.again = true;
        return;
      }
      a.reading = true;
      a.again = false;
      from = a.next;
    }
    parts
        .from(id, from)
        .compose(
            found -> {
              int next = from;
              for (ResourceRelayRepository.Part p : found) {
                if (p.part() != next) {
                  break; // A part still being written: the rest comes with its notification.
                }
                next++;
                handOver(a.cluster, id, p);
              }
              synchronized (a) {
                a.next = next;
              }
              return next > from ? parts.consumed(id, next) : Future.succeededFuture();
            })
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.debug("cannot read the relayed answer {}", id, ar.cause());
              }
              boolean again;
              synchronized (a) {
                a.reading = false;
                again = a.again;
              }
              if (again) {
                read(id);
              }
            });
  }

  private void handOver(String cluster, String id, ResourceRelayRepository.Part part) {
    try {
      answers.accept(cluster, ResourceResponse.parseFrom(part.payload()));
    } catch (InvalidProtocolBufferException e) {
      answers.accept(
          cluster,
          ResourceResponse.newBuilder()
              .setId(id)
              .setPart(part.part())
              .setLast(true)
              .setErrorCode("UNAVAILABLE")
              .setError("the agent's answer came damaged through another replica; try again")
              .build());
    }
  }

  private void sweep() {
    asked.keySet().forEach(this::read);
    Instant stale = Instant.now().minus(ResourceProxyLimits.MAX_FOLLOW);
    forwarded.entrySet().removeIf(e -> e.getValue().since.isBefore(stale));
    if (++sweeps % PRUNE_EVERY == 0) {
      parts.prune().onFailure(e -> LOG.debug("cannot prune relayed answers", e));
    }
  }

  /** Requests in flight through other replicas, either way (tests). */
  int inFlight() {
    return asked.size() + forwarded.size();
  }

  @Override
  public void close() {
    closed = true;
    vertx.cancelTimer(timer);
    subscriber.close();
  }

  private static final class Asked {
    final String cluster;
    int next;
    boolean reading;
    boolean again;

    Asked(String cluster) {
      this.cluster = cluster;
    }
  }

  private static final class Forwarded {
    final String cluster;
    final Instant since = Instant.now();
    volatile int next;

    Forwarded(String cluster) {
      this.cluster = cluster;
    }
  }
}
