package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.flotilla.agent.StatusReporterTest.FakeSender;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import dev.flotilla.proto.agent.v1.HealthStatus;
import dev.flotilla.proto.agent.v1.StoredStatus;
import dev.flotilla.proto.agent.v1.SyncStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Statuses are flushed on demand: a flush is scheduled when something is pending, else none. */
class StatusFlushSchedulingTest {

  private final FakeSender sender = new FakeSender();
  private final ManualFlushTimer timer = new ManualFlushTimer();
  private final StatusReporter reporter = new StatusReporter(sender, timer);

  private ExecutorService reporters;
  private ScheduledExecutorService scheduler;

  @AfterEach
  void stop() {
    if (reporters != null) {
      reporters.shutdownNow();
      scheduler.shutdownNow();
    }
  }

  private static ApplicationStatus status(String app, HealthStatus health, long observedAt) {
    return ApplicationStatus.newBuilder()
        .setApplication(app)
        .setGeneration(1)
        .setSyncStatus(SyncStatus.SYNC_STATUS_SYNCED)
        .setHealth(health)
        .setObservedAtUnixMs(observedAt)
        .build();
  }

  private static ApplicationStatus healthy(String app) {
    return status(app, HealthStatus.HEALTH_STATUS_HEALTHY, 1);
  }

  /** The invariant: nothing waits for a flush that is not coming. */
  private void assertAFlushIsComingForWhatIsPending() {
    if (reporter.pendingCount() > 0) {
      assertThat(timer.waiting()).as("a flush is scheduled for what is pending").isNotEmpty();
    }
  }

  @Test
  void aReportSchedulesExactlyOneFlushOneBatchWindowLater() {
    reporter.report(healthy("a"));

    assertThat(timer.waiting()).containsExactly(Duration.ofMillis(100));
    assertThat(sender.sent).as("nothing goes before the window ends").isEmpty();
    timer.elapse();

    assertThat(sender.batches()).containsExactly(List.of("a"));
    assertThat(timer.waiting()).as("everything sent: nothing more scheduled").isEmpty();
    assertThat(reporter.pendingCount()).isZero();
  }

  @Test
  void reportsWithinTheWindowGoUpAsOneBatchFromOneFlush() {
    reporter.report(healthy("a"));
    reporter.report(healthy("b"));
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_DEGRADED, 2));
    reporter.report(healthy("c"));

    assertThat(timer.scheduledInAll()).as("one flush for the whole window").isEqualTo(1);
    timer.elapse();
    assertThat(sender.batches()).containsExactly(List.of("a", "b", "c"));
    assertThat(sender.statuses().get(0).getHealth()).isEqualTo(HealthStatus.HEALTH_STATUS_DEGRADED);
  }

  @Test
  void anIdleReporterSchedulesNothing() {
    assertThat(reporter.flush()).isZero();
    reporter.resendUnacknowledged();
    assertThat(timer.scheduledInAll()).as("nothing ever reported").isZero();

    reporter.report(healthy("a"));
    timer.elapse();
    // Reconciles at each resync see the same status again: no change, no wake-up.
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 2));
    reporter.report(status("a", HealthStatus.HEALTH_STATUS_HEALTHY, 3));
    reporter.resendUnacknowledged(); // No acks expected: all delivered.
    timer.elapse();

    assertThat(timer.scheduledInAll()).as("only the change was flushed").isEqualTo(1);
    assertThat(timer.waiting()).isEmpty();
    assertThat(sender.sent).hasSize(1);
  }

  @Test
  void aFailedSendIsRetriedEveryBatchWindowUntilItGoesThrough() {
    sender.connected = false;
    reporter.report(healthy("a"));

    for (int attempt = 0; attempt < 3; attempt++) {
      timer.elapse();
      assertThat(sender.sent).isEmpty();
      assertThat(timer.waiting()).as("retry scheduled").containsExactly(Duration.ofMillis(100));
      assertThat(reporter.pendingCount()).isEqualTo(1);
    }

    sender.connected = true;
    timer.elapse();
    assertThat(sender.batches()).containsExactly(List.of("a"));
    assertThat(timer.waiting()).as("sent: retries stop").isEmpty();
  }

  @Test
  void aFailedExplicitFlushLeavesTheScheduledFlushToRetry() {
    sender.connected = false;
    reporter.report(healthy("a"));
    assertThat(reporter.flush()).isZero();
    assertThat(timer.waiting()).as("the report's flush is still coming; no second").hasSize(1);

    sender.connected = true;
    timer.elapse();
    assertThat(sender.batches()).containsExactly(List.of("a"));
  }

  @Test
  void aFailedSendAtTheWelcomeSchedulesARetry() {
    reporter.report(healthy("a"));
    timer.elapse();
    sender.connected = false; // The stream broke again right after its Welcome.
    reporter.resendAll(true);
    assertAFlushIsComingForWhatIsPending();
    assertThat(reporter.pendingCount()).isEqualTo(1);

    sender.connected = true;
    timer.elapse();
    assertThat(sender.batches()).containsExactly(List.of("a"), List.of("a"));
  }

  @Test
  void theWelcomeStillSendsAtOnce() {
    reporter.report(healthy("a"));
    timer.elapse();
    sender.sent.clear();

    reporter.resendAll(true);
    assertThat(sender.batches()).as("synchronously").containsExactly(List.of("a"));
    timer.elapse();
    assertThat(sender.sent).as("the timed flush finds nothing left").hasSize(1);
    assertThat(timer.waiting()).isEmpty();
  }

  @Test
  void aReportArrivingDuringATimedFlushGoesInANewlyScheduledOne() {
    AtomicBoolean first = new AtomicBoolean(true);
    StatusReporter[] self = new StatusReporter[1];
    FakeSender recorded = new FakeSender();
    self[0] =
        new StatusReporter(
            m -> {
              if (first.getAndSet(false)) {
                // A reconcile thread reports while the flush is sending.
                self[0].report(healthy("b"));
              }
              return recorded.test(m);
            },
            timer);
    self[0].report(healthy("a"));
    timer.elapse();

    assertThat(recorded.batches()).containsExactly(List.of("a"));
    assertThat(timer.waiting()).as("b has a flush of its own").hasSize(1);
    timer.elapse();
    assertThat(recorded.batches()).containsExactly(List.of("a"), List.of("b"));
    assertThat(timer.waiting()).isEmpty();
  }

  @Test
  void aReportDuringAFailingSendAndTheRetryShareOneFlush() {
    AtomicBoolean first = new AtomicBoolean(true);
    StatusReporter[] self = new StatusReporter[1];
    FakeSender recorded = new FakeSender();
    self[0] =
        new StatusReporter(
            m -> {
              if (first.getAndSet(false)) {
                self[0].report(healthy("b"));
                return false; // The stream went down under this send.
              }
              return recorded.test(m);
            },
            timer);
    self[0].report(healthy("a"));
    timer.elapse();

    assertThat(timer.waiting()).as("one flush for b and the retry of a").hasSize(1);
    timer.elapse();
    assertThat(recorded.batches()).singleElement().asList().containsExactlyInAnyOrder("a", "b");
  }

  @Test
  void underConcurrentReportsAndAFlakyStreamEveryLatestStatusArrives() {
    // Real threads and a real scheduler: whatever interleaving, nothing stays pending unsent.
    Map<String, Long> arrived = new ConcurrentHashMap<>();
    StatusReporter live =
        new StatusReporter(
            m -> {
              if (ThreadLocalRandom.current().nextInt(4) == 0) {
                return false;
              }
              for (ApplicationStatus s : m.getStatuses().getStatusesList()) {
                arrived.merge(s.getApplication(), s.getSequence(), Math::max);
              }
              return true;
            },
            (flush, delay) -> scheduler.schedule(flush, 1, TimeUnit.MILLISECONDS));
    scheduler = Executors.newSingleThreadScheduledExecutor();
    reporters = Executors.newFixedThreadPool(4);
    IntStream.range(0, 4)
        .forEach(
            t ->
                reporters.submit(
                    () -> {
                      for (int i = 1; i <= 300; i++) {
                        HealthStatus health =
                            (i / 10) % 2 == 0
                                ? HealthStatus.HEALTH_STATUS_HEALTHY
                                : HealthStatus.HEALTH_STATUS_PROGRESSING;
                        live.report(status("app-" + (i % 10) + "-" + t, health, i));
                      }
                    }));

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(live.pendingCount()).isZero();
              assertThat(arrived).hasSize(40);
              live.all()
                  .forEach(
                      (app, latest) ->
                          assertThat(arrived.get(app)).as(app).isEqualTo(latest.getSequence()));
            });
  }

  @Test
  void acknowledgementsScheduleNothing() {
    reporter.resendAll(true);
    reporter.report(healthy("a"));
    timer.elapse();
    int before = timer.scheduledInAll();
    ApplicationStatus sent = sender.statuses().get(0);
    reporter.acknowledge(
        List.of(
            StoredStatus.newBuilder()
                .setApplication(sent.getApplication())
                .setSequence(sent.getSequence())
                .build()));
    reporter.resendUnacknowledged();
    assertThat(timer.scheduledInAll()).isEqualTo(before);
    assertThat(sender.sent).extracting(AgentMessage::hasStatuses).containsExactly(true);
  }
}
