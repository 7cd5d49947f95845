package dev.flotilla.agent.reconcile.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealQueueTest {

  final ExecutorService pool = Executors.newFixedThreadPool(2);
  final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    timers.shutdownNow();
  }

  @Test
  void anObjectAskedForWhileItIsHealedIsHealedOnceMoreNotTwice() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    HealQueue<String> queue =
        new HealQueue<>(
            pool,
            timers,
            key -> {
              if (runs.incrementAndGet() == 1) {
                await().until(() -> release.await(10, TimeUnit.SECONDS));
              }
              return Optional.empty();
            });

    queue.submit("a");
    await().until(() -> runs.get() == 1);
    queue.submit("a");
    queue.submit("a");
    queue.submit("a");
    release.countDown();

    await().untilAsserted(() -> assertThat(queue.busy()).isEmpty());
    assertThat(runs.get()).isEqualTo(2);
  }

  @Test
  void oneObjectThatHangsDoesNotHoldTheOthers() {
    CountDownLatch never = new CountDownLatch(1);
    List<String> healed = new CopyOnWriteArrayList<>();
    HealQueue<String> queue =
        new HealQueue<>(
            pool,
            timers,
            key -> {
              if (key.equals("stuck")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> never.getCount() == 0);
              }
              healed.add(key);
              return Optional.empty();
            });

    queue.submit("stuck");
    queue.submit("a");
    queue.submit("b");
    queue.submit("c");

    await().untilAsserted(() -> assertThat(healed).containsExactlyInAnyOrder("a", "b", "c"));
    never.countDown();
  }

  @Test
  void aFailedHealComesBackAfterItsBackoffAndRequestsMeanwhileAreAbsorbed() {
    AtomicInteger runs = new AtomicInteger();
    HealQueue<String> queue =
        new HealQueue<>(
            pool,
            timers,
            key ->
                runs.incrementAndGet() == 1
                    ? Optional.of(Duration.ofMillis(300))
                    : Optional.empty());

    queue.submit("a");
    await().untilAsserted(() -> assertThat(queue.retrying()).containsExactly("a"));
    queue.submit("a");
    queue.submit("a");

    await().untilAsserted(() -> assertThat(runs.get()).isEqualTo(2));
    await().untilAsserted(() -> assertThat(queue.retrying()).isEmpty());
    assertThat(queue.busy()).isEmpty();
    assertThat(runs.get()).isEqualTo(2);
  }

  @Test
  void retriesBackOffDoublingUpToTheCap() {
    SelfHealSettings s =
        new SelfHealSettings(
            1, Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofMinutes(1));
    assertThat(
            List.of(
                s.retryAfter(1),
                s.retryAfter(2),
                s.retryAfter(3),
                s.retryAfter(4),
                s.retryAfter(50)))
        .containsExactly(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            Duration.ofSeconds(3));
  }
}
