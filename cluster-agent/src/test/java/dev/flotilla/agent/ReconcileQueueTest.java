package dev.flotilla.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReconcileQueueTest {

  private final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void requestsWhileRunningCoalesceIntoOneMoreRunAndNeverOverlap() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    ReconcileQueue queue =
        new ReconcileQueue(
            pool,
            app -> {
              int now = concurrent.incrementAndGet();
              maxConcurrent.accumulateAndGet(now, Math::max);
              runs.incrementAndGet();
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              concurrent.decrementAndGet();
            });
    queue.submit("web");
    await().until(() -> runs.get() == 1);
    for (int i = 0; i < 10; i++) {
      queue.submit("web");
    }
    release.countDown();
    // Ten requests during one run make exactly one more run, and it stays that way.
    await()
        .atMost(Duration.ofSeconds(5))
        .during(Duration.ofMillis(300))
        .until(() -> runs.get() == 2);
    assertThat(maxConcurrent.get()).isEqualTo(1);
  }

  @Test
  void differentApplicationsRunInParallel() {
    ConcurrentHashMap<String, Boolean> started = new ConcurrentHashMap<>();
    CountDownLatch both = new CountDownLatch(2);
    ReconcileQueue queue =
        new ReconcileQueue(
            pool,
            app -> {
              started.put(app, true);
              both.countDown();
              try {
                both.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    queue.submit("a");
    queue.submit("b");
    await().atMost(Duration.ofSeconds(5)).until(() -> both.getCount() == 0);
    assertThat(started).containsKeys("a", "b");
  }

  @Test
  void aRunThatAsksToComeBackIsRunAgainLaterWithoutHoldingAWorker() {
    java.util.concurrent.ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor();
    try {
      AtomicInteger runs = new AtomicInteger();
      ReconcileQueue queue =
          new ReconcileQueue(
              pool,
              timers,
              app ->
                  runs.incrementAndGet() < 3
                      ? java.util.Optional.of(Duration.ofMillis(50))
                      : java.util.Optional.empty(),
              java.time.Clock.systemUTC());

      queue.submit("web");

      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 3);
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> runs.get() == 3 && queue.requeued().isEmpty());
      assertThat(queue.progress().running()).isEmpty();
    } finally {
      timers.shutdownNow();
    }
  }

  @Test
  void eachRunReplacesTheWaitingTimerSoOneApplicationHasAtMostOne() {
    // As the agent's scheduler: a cancelled timer leaves the queue at once.
    java.util.concurrent.ScheduledThreadPoolExecutor timers =
        new java.util.concurrent.ScheduledThreadPoolExecutor(1);
    timers.setRemoveOnCancelPolicy(true);
    try {
      AtomicInteger runs = new AtomicInteger();
      ReconcileQueue queue =
          new ReconcileQueue(
              pool,
              timers,
              app -> {
                runs.incrementAndGet();
                return java.util.Optional.of(Duration.ofHours(1));
              },
              java.time.Clock.systemUTC());

      for (int i = 0; i < 5; i++) {
        int before = runs.get();
        queue.submit("web");
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == before + 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.requeued().contains("web"));
      }

      // Five triggers, five runs, one pending "come back in an hour", and no worker busy.
      assertThat(queue.requeued()).containsExactly("web");
      assertThat(((java.util.concurrent.ScheduledThreadPoolExecutor) timers).getQueue()).hasSize(1);
      assertThat(queue.progress().running()).isEmpty();
    } finally {
      timers.shutdownNow();
    }
  }
}
