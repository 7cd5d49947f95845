package dev.flotilla.controlplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.proto.agent.v1.LogLine;
import dev.flotilla.proto.agent.v1.ProxiedObject;
import dev.flotilla.proto.agent.v1.ResourceRequest;
import dev.flotilla.proto.agent.v1.ResourceRequestKind;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker against a fake agent stream: answers in parts and out of order, a timeout, an agent
 * not connected or going away, a follow cancelled by its caller.
 */
class ResourceBrokerTest {

  final Vertx vertx = Vertx.vertx();
  final Map<String, ResourceRequest> sent = new ConcurrentHashMap<>();
  final List<String> cancelled = new CopyOnWriteArrayList<>();
  volatile boolean connected = true;

  final ResourceBroker.AgentLink agent =
      new ResourceBroker.AgentLink() {
        @Override
        public Future<Boolean> send(String cluster, ResourceRequest request) {
          if (connected) {
            sent.put(request.getId(), request);
          }
          return Future.succeededFuture(connected);
        }

        @Override
        public void cancel(String cluster, String id) {
          cancelled.add(id);
        }
      };

  final ResourceBroker broker = new ResourceBroker(vertx, agent, Duration.ofMillis(300));

  @AfterEach
  void close() {
    vertx.close();
  }

  @Test
  void answersToDifferentRequestsMayComeInAnyOrderEachInItsParts() {
    Future<ResourceResponse> first = broker.ask("c1", live().setApplication("a"));
    Future<ResourceResponse> second = broker.ask("c1", live().setApplication("b"));
    String a = idOf("a");
    String b = idOf("b");

    broker.answered("c1", part(b, 0, true, "b-only"));
    broker.answered("c1", part(a, 0, false, "a-1"));
    broker.answered("c1", part(a, 1, true, "a-2"));

    await().until(() -> first.isComplete() && second.isComplete());
    assertThat(names(first.result())).containsExactly("a-1", "a-2");
    assertThat(names(second.result())).containsExactly("b-only");
    assertThat(broker.pending()).isZero();
  }

  @Test
  void noAnswerInTimeFailsUnavailableNamingTheCluster() {
    Future<ResourceResponse> asked = broker.ask("c1", live().setApplication("a"));

    await().until(asked::isComplete);
    assertThat(asked.cause())
        .isInstanceOf(ApiException.class)
        .hasMessage("the agent of cluster 'c1' did not answer within 300ms");
    assertThat(((ApiException) asked.cause()).kind()).isEqualTo(ApiException.Kind.UNAVAILABLE);
    assertThat(broker.pending()).isZero();
  }

  @Test
  void anAgentNotConnectedIsSaidAtOnce() {
    connected = false;

    Future<ResourceResponse> asked = broker.ask("c9", live().setApplication("a"));

    assertThat(asked.failed()).isTrue();
    assertThat(asked.cause()).hasMessage("the agent of cluster 'c9' is not connected");
  }

  @Test
  void anAgentGoingAwayFailsWhatWasAskedOfItOnly() {
    Future<ResourceResponse> ofC1 = broker.ask("c1", live().setApplication("a"));
    Future<ResourceResponse> ofC2 = broker.ask("c2", live().setApplication("b"));

    broker.disconnected("c1");

    assertThat(ofC1.cause())
        .hasMessage("the agent of cluster 'c1' disconnected before it answered");
    assertThat(ofC2.isComplete()).isFalse();
    broker.answered("c2", part(idOf("b"), 0, true, "x"));
    assertThat(ofC2.succeeded()).isTrue();
  }

  @Test
  void anAnswerFromAnotherClusterOrAMissingPartIsNeverTakenForTheAnswer() {
    Future<ResourceResponse> asked = broker.ask("c1", live().setApplication("a"));
    String id = idOf("a");

    broker.answered("c2", part(id, 0, true, "forged")); // another agent cannot answer for c1
    assertThat(asked.isComplete()).isFalse();

    broker.answered("c1", part(id, 1, true, "late"));
    assertThat(asked.cause()).hasMessageContaining("came incomplete (part 1 where 0 was due)");
    assertThat(cancelled).contains(id);
  }

  @Test
  void theAgentsRefusalIsTheAnswersError() {
    Future<ResourceResponse> asked = broker.ask("c1", live().setApplication("a"));

    broker.answered(
        "c1",
        ResourceResponse.newBuilder()
            .setId(idOf("a"))
            .setLast(true)
            .setErrorCode("NOT_FOUND")
            .setError("ConfigMap x/y is not an object of application 'a'")
            .build());

    assertThat(((ApiException) asked.cause()).kind()).isEqualTo(ApiException.Kind.NOT_FOUND);
    assertThat(asked.cause()).hasMessage("ConfigMap x/y is not an object of application 'a'");
  }

  @Test
  void aFollowHandsOverPartsWithoutATimeoutAndTellsTheAgentWhenCancelled() {
    List<ResourceResponse> parts = new CopyOnWriteArrayList<>();
    Promise<Void> cancel = Promise.promise();
    Future<Void> done =
        broker.follow(
            "c1",
            ResourceRequest.newBuilder().setKind(ResourceRequestKind.LOGS).setApplication("a"),
            parts::add,
            cancel.future());
    String id = idOf("a");

    broker.answered("c1", ResourceResponse.newBuilder().setId(id).setPart(0).build());
    broker.answered(
        "c1",
        ResourceResponse.newBuilder()
            .setId(id)
            .setPart(1)
            .addLogLines(LogLine.newBuilder().setText("hello"))
            .build());
    // Quiet for longer than the answer timeout: a follow waits for lines as long as they take.
    await().pollDelay(Duration.ofMillis(600)).until(() -> true);
    assertThat(done.isComplete()).isFalse();
    assertThat(parts).hasSize(2);

    cancel.complete();

    assertThat(done.succeeded()).isTrue();
    assertThat(cancelled).containsExactly(id);
    assertThat(broker.pending()).isZero();
  }

  private String idOf(String application) {
    return sent.values().stream()
        .filter(r -> r.getApplication().equals(application))
        .findFirst()
        .orElseThrow()
        .getId();
  }

  private static ResourceRequest.Builder live() {
    return ResourceRequest.newBuilder().setKind(ResourceRequestKind.LIVE_MANIFESTS);
  }

  private static ResourceResponse part(String id, int part, boolean last, String name) {
    return ResourceResponse.newBuilder()
        .setId(id)
        .setPart(part)
        .setLast(last)
        .addObjects(
            ProxiedObject.newBuilder()
                .setRef(dev.flotilla.proto.agent.v1.ObjectRef.newBuilder().setName(name)))
        .build();
  }

  private static List<String> names(ResourceResponse r) {
    return r.getObjectsList().stream().map(o -> o.getRef().getName()).toList();
  }
}
