package dev.flotilla.simulator.controller;

import static dev.flotilla.simulator.controller.SimFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.simulator.store.StoreException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final List<WorkQueue.Key> handled = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private void runTasks() {
    for (Runnable r; (r = tasks.poll()) != null; ) {
      r.run();
    }
  }

  @Test
  void aKeyAddedManyTimesBeforeItRunsIsHandledOnce() {
    WorkQueue queue = new WorkQueue(tasks::add, scheduler, handled::add);
    for (int i = 0; i < 5; i++) {
      queue.add("deployment", "default", "web");
    }
    queue.add("deployment", "default", "api");

    runTasks();

    assertThat(handled)
        .containsExactly(
            new WorkQueue.Key("deployment", "default", "web"),
            new WorkQueue.Key("deployment", "default", "api"));
    assertThat(queue.pendingCount()).isZero();
  }

  @Test
  void aKeyAddedWhileItIsHandledIsHandledAgainAfterwards() {
    WorkQueue[] self = new WorkQueue[1];
    self[0] =
        new WorkQueue(
            tasks::add,
            scheduler,
            key -> {
              handled.add(key);
              if (handled.size() == 1) {
                self[0].add(key); // a watch event caused by this very reconcile
              }
            });
    self[0].add("pod", "default", "p");

    runTasks();

    assertThat(handled).hasSize(2);
  }

  @Test
  void aFailingReconcileIsRetriedWithBackoffAndCounted() {
    WorkQueue queue =
        new WorkQueue(
            Runnable::run,
            scheduler,
            key -> {
              handled.add(key);
              if (handled.size() < 3) {
                throw new IllegalStateException("simulated failure");
              }
            });
    queue.add("job", "default", "j");

    eventually().untilAsserted(() -> assertThat(handled).hasSize(3));
    assertThat(queue.failedCount()).isEqualTo(2);
  }

  @Test
  void aReconcileThatKeepsLosingTheRaceIsRequeuedWithoutCountingAsAFailure() {
    WorkQueue queue =
        new WorkQueue(
            Runnable::run,
            scheduler,
            key -> {
              handled.add(key);
              if (handled.size() < 3) {
                throw new StoreException.Conflict("the object has been modified");
              }
            });
    queue.add("deployment", "default", "busy");

    eventually().untilAsserted(() -> assertThat(handled).hasSize(3));
    assertThat(queue.failedCount()).isZero();
    assertThat(queue.conflictCount()).isEqualTo(2);
  }

  @Test
  void aDelayedKeyComesBackAndAClosedQueueTakesNothing() {
    WorkQueue queue = new WorkQueue(Runnable::run, scheduler, handled::add);
    queue.addAfter(new WorkQueue.Key("pod", "default", "later"), Duration.ofMillis(30));
    eventually().untilAsserted(() -> assertThat(handled).hasSize(1));

    queue.close();
    queue.add("pod", "default", "ignored");
    assertThat(handled).hasSize(1);
  }
}
