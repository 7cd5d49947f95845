package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.StoredStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class StatusReporterTest {

  /** Stands in for the gRPC stream: records what was sent, or refuses while "disconnected". */
  static final class FakeSender implements Predicate<AgentMessage> {
    final List<AgentMessage> sent = new CopyOnWriteArrayList<>();
    volatile boolean connected = true;

    @Override
    public boolean test(AgentMessage message) {
      if (!connected) {
        return false;
      }
      sent.add(message);
      return true;
    }

    /** Each sent message as the application names it carried, e.g. [[a, b], [c]]. */
    List<List<String>> batches() {
      return sent.stream()
          .map(
              m -> {
                assertThat(m.hasStatuses()).as("only batches are sent: %s", m).isTrue();
                return m.getStatuses().getStatusesList().stream()
                    .map(ApplicationStatus::getApplication)
                    .toList();
              })
          .toList();
    }

    List<ApplicationStatus> statuses() {
      return sent.stream().flatMap(m -> m.getStatuses().getStatusesList().stream()).toList();
    }
  }

  private final FakeSender sender = new FakeSender();
  private final ManualFlushTimer timer = new ManualFlushTimer();
  private final StatusReporter reporter = new StatusReporter(sender, timer);

  private static ApplicationStatus status(String app, HealthStatus health, long observedAt) {
    return ApplicationStatus.newBuilder()
        .setApplication(app)
        .setGeneration(1)
        .setSyncStatus(SyncStatus.SYNC_STATUS_SYNCED)
        .setHealth(health)
        .setObservedAtUnixMs(observedAt)
        .build();
  }

  @Test
  void everythingReportedBetweenFlushesGoesUpAsOneBatch() {
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    reporter.report(status("b", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    reporter.report(status("c", HealthStatus.HEALTH_STATUS_PROGRESSING, 1));
    assertThat(sender.sent).as("report only records").isEmpty();

    assertThat(reporter.flush()).isEqualTo(3);
    assertThat(sender.batches()).containsExactly(List.of("a", "b", "c"));

    assertThat(reporter.flush()).as("nothing new").isZero();
    assertThat(sender.sent).hasSize(1);
  }

  @Test
  void onlyTheLatestStatusOfAnApplicationIsSent() {
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_PROGRESSING, 1));
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 2));
    reporter.flush();
    assertThat(sender.statuses())
        .singleElement()
        .extracting(ApplicationStatus::getHealth)
        .isEqualTo(HealthStatus.HEALTH_STATUS_HEALTHY);
  }

  @Test
  void anUnchangedStatusIsNotSentAgainButAChangedOneIs() {
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    reporter.flush();

    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 2));
    assertThat(reporter.flush()).as("only observedAt differs").isZero();
    assertThat(reporter.latest("a").orElseThrow().getObservedAtUnixMs())
        .as("the latest observation is still kept")
        .isEqualTo(2);

    reporter.report(status("a", HealthStatus.HEALTH_STATUS_DEGRADED, 3));
    assertThat(reporter.flush()).isEqualTo(1);
    assertThat(sender.statuses())
        .extracting(ApplicationStatus::getHealth)
        .containsExactly(HealthStatus.HEALTH_STATUS_HEALTHY, HealthStatus.HEALTH_STATUS_DEGRADED);
  }

  @Test
  void whatCouldNotBeSentStaysPendingAndWelcomeResendsEverything() {
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    reporter.flush();
    sender.connected = false;
    reporter.report(status("b", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    assertThat(reporter.flush()).isZero();
    reporter.report(status("b", HealthStatus.HEALTH_STATUS_DEGRADED, 2));
    assertThat(reporter.flush()).isZero();

    sender.connected = true;
    sender.sent.clear();
    reporter.resendAll();
    assertThat(sender.batches())
        .as("a new stream gets every application's latest status at once")
        .singleElement()
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .containsExactlyInAnyOrder("a", "b");
    assertThat(sender.statuses())
        .filteredOn(s -> s.getApplication().equals("b"))
        .singleElement()
        .extracting(ApplicationStatus::getHealth)
        .isEqualTo(HealthStatus.HEALTH_STATUS_DEGRADED);
  }

  @Test
  void aForgottenApplicationIsNotReported() {
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    reporter.report(status("gone", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    reporter.forget("gone");
    reporter.flush();
    assertThat(sender.batches()).containsExactly(List.of("a"));
    assertThat(reporter.all()).containsOnlyKeys("a");
  }

  @Test
  void largeBatchesAreSplitBelowTheMessageLimit() {
    String big = "x".repeat(StatusReporter.MAX_BATCH_BYTES / 3);
    for (String app : List.of("a", "b", "c", "d", "e")) {
      reporter.report(
          status(app, HealthStatus.HEALTH_STATUS_HEALTHY, 1).toBuilder().setMessage(big).build());
    }
    assertThat(reporter.flush()).isEqualTo(5);
    assertThat(sender.batches())
        .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
    assertThat(sender.sent)
        .allSatisfy(
            m ->
                assertThat(m.getSerializedSize())
                    .isLessThan(StatusReporter.MAX_BATCH_BYTES + 1024));
  }

  @Test
  void reportingNeverWaitsForASlowStream() throws Exception {
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StatusReporter slow =
        new StatusReporter(
            m -> {
              sending.countDown();
              try {
                return release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            },
            new ManualFlushTimer());
    slow.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    CompletableFuture<Integer> flush = CompletableFuture.supplyAsync(slow::flush);
    assertThat(sending.await(5, TimeUnit.SECONDS)).as("flush is sending").isTrue();

    assertTimeoutPreemptively(
        Duration.ofSeconds(1),
        () -> slow.report(status("b", HealthStatus.HEALTH_STATUS_HEALTHY, 1)),
        "report must not wait for a flush in progress");

    release.countDown();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(flush).isCompleted());
    assertThat(flush.get()).isEqualTo(1);
    assertThat(slow.flush()).as("b went in the next batch").isEqualTo(1);
  }

  private static StoredStatus stored(ApplicationStatus sent) {
    return StoredStatus.newBuilder()
        .setApplication(sent.getApplication())
        .setSequence(sent.getSequence())
        .build();
  }

  @Test
  void aStatusIsUndeliveredUntilTheControlPlaneAcknowledgesIt() {
    reporter.resendAll(true);
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    reporter.report(status("b", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    assertThat(reporter.flush()).isEqualTo(2);
    assertThat(reporter.unacknowledged()).as("sent is not delivered").containsExactly("a", "b");

    reporter.acknowledge(List.of(stored(sender.statuses().get(0))));
    assertThat(reporter.unacknowledged()).containsExactly("b");

    sender.sent.clear();
    reporter.resendUnacknowledged();
    assertThat(sender.batches()).as("only what was not acknowledged").containsExactly(List.of("b"));
    reporter.acknowledge(List.of(stored(sender.statuses().get(0))));
    assertThat(reporter.unacknowledged()).isEmpty();

    sender.sent.clear();
    reporter.resendUnacknowledged();
    assertThat(sender.sent).as("everything delivered").isEmpty();
  }

  @Test
  void anUnchangedStatusReportedAgainIsStillUndeliveredAndOfferedAgainAtTheResync() {
    reporter.resendAll(true);
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    reporter.flush();
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 2));
    assertThat(reporter.flush()).as("no duplicate while the ack may be on its way").isZero();
    assertThat(reporter.unacknowledged()).as("deduplicated, not delivered").containsExactly("a");

    reporter.resendUnacknowledged();
    assertThat(sender.statuses())
        .hasSize(2)
        .extracting(ApplicationStatus::getSequence)
        .as("the same status, offered again")
        .containsOnly(sender.statuses().get(0).getSequence());
    assertThat(sender.statuses().get(1).getObservedAtUnixMs())
        .as("with its latest observation")
        .isEqualTo(2);
  }

  @Test
  void anAcknowledgementOfAnOlderStatusDoesNotDeliverANewerOne() {
    reporter.resendAll(true);
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_PROGRESSING, 1));
    reporter.flush();
    ApplicationStatus older = sender.statuses().get(0);
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 2));
    reporter.flush();
    ApplicationStatus newer = sender.statuses().get(1);
    assertThat(newer.getSequence()).isGreaterThan(older.getSequence());

    reporter.acknowledge(List.of(stored(older)));
    assertThat(reporter.unacknowledged()).containsExactly("a");
    reporter.acknowledge(List.of(stored(newer)));
    assertThat(reporter.unacknowledged()).isEmpty();
  }

  @Test
  void aNewStreamMakesEveryStatusUndeliveredAgainAndSaysWhetherAcksWillCome() {
    reporter.resendAll(true);
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    reporter.flush();
    reporter.acknowledge(List.of(stored(sender.statuses().get(0))));
    assertThat(reporter.unacknowledged()).isEmpty();

    // The control plane may have marked it Unknown while we were away.
    reporter.resendAll(true);
    assertThat(sender.statuses()).hasSize(2);
    assertThat(reporter.unacknowledged()).containsExactly("a");

    // A control plane that never acknowledges: what was sent counts as delivered.
    reporter.resendAll(false);
    assertThat(sender.statuses()).hasSize(3);
    assertThat(reporter.unacknowledged()).isEmpty();
    reporter.resendUnacknowledged();
    assertThat(sender.statuses()).hasSize(3);
  }

  @Test
  void whatCouldNotBeSentIsNotDeliveredEvenWithoutAcknowledgements() {
    sender.connected = false;
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    assertThat(reporter.flush()).isZero();
    assertThat(reporter.unacknowledged()).containsExactly("a");
  }

  @Test
  void anUnsentStatusSeenAgainWhileTheFlushFailsStaysPending() {
    // A flush takes a, cannot send it; meanwhile the same status is observed again.
    AtomicBoolean first = new AtomicBoolean(true);
    List<ApplicationStatus> sent = new CopyOnWriteArrayList<>();
    StatusReporter[] self = new StatusReporter[1];
    self[0] =
        new StatusReporter(
            m -> {
              if (first.getAndSet(false)) {
                self[0].report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 2));
                return false;
              }
              sent.addAll(m.getStatuses().getStatusesList());
              return true;
            },
            new ManualFlushTimer());
    self[0].report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 1));
    assertThat(self[0].flush()).isZero();
    assertThat(self[0].flush()).as("still pending").isEqualTo(1);
    assertThat(sent)
        .singleElement()
        .extracting(ApplicationStatus::getObservedAtUnixMs)
        .isEqualTo(2L);
  }

  @Test
  void eachChangeGetsANewSequenceAndObservationTimeNeverGoesBack() {
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_PROGRESSING, 10));
    long first = reporter.latest("a").orElseThrow().getSequence();
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_PROGRESSING, 5));
    assertThat(reporter.latest("a").orElseThrow().getSequence()).as("unchanged").isEqualTo(first);
    assertThat(reporter.latest("a").orElseThrow().getObservedAtUnixMs())
        .as("the clock went back; the observation does not")
        .isEqualTo(10);

    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 7));
    ApplicationStatus changed = reporter.latest("a").orElseThrow();
    assertThat(changed.getSequence()).isGreaterThan(first);
    assertThat(changed.getObservedAtUnixMs())
        .as("later than the status it replaces, so the control plane keeps it")
        .isEqualTo(11);
  }
}
