package dev.flotilla.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class WaveWriterTest {

  static boolean await(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void writesConcurrentlyAndAnswersInTheItemsOrder() {
    WaveWriter writer = new WaveWriter(4);
    // Each write waits for all three to have started: only concurrent writes get past it.
    CountDownLatch allStarted = new CountDownLatch(3);

    List<String> out =
        writer.writeAll(
            List.of("a", "b", "c"),
            s -> {
              allStarted.countDown();
              return await(allStarted) ? s.toUpperCase() : "not concurrent";
            });

    assertThat(out).containsExactly("A", "B", "C");
  }

  @Test
  void aPoolBusyWithAnotherSyncNeverStallsASync() {
    WaveWriter writer = new WaveWriter(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch bothHeld = new CountDownLatch(2);
    // Another sync's two hung writes hold its own thread and the pool's only helper.
    CompletableFuture<List<String>> hung =
        CompletableFuture.supplyAsync(
            () ->
                writer.writeAll(
                    List.of("x", "y"),
                    s -> {
                      bothHeld.countDown();
                      await(release);
                      return s;
                    }));
    assertThat(await(bothHeld)).isTrue();

    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<Integer> out =
        writer.writeAll(
            List.of(1, 2, 3),
            i -> {
              threads.add(Thread.currentThread().getName());
              return i * 10;
            });

    assertThat(out).containsExactly(10, 20, 30);
    assertThat(threads).as("written by the sync's own thread").hasSize(1);
    assertThat(writer.helperThreads()).as("bounded").isEqualTo(1);
    release.countDown();
    assertThat(hung.join()).containsExactly("x", "y");
  }

  @Test
  void aWriteThatThrowsIsRethrownOnceTheOthersEnded() {
    WaveWriter writer = new WaveWriter(2);
    Set<String> written = ConcurrentHashMap.newKeySet();

    assertThatThrownBy(
            () ->
                writer.writeAll(
                    List.of("a", "boom", "c", "d"),
                    s -> {
                      if (s.equals("boom")) {
                        throw new IllegalStateException("boom failed");
                      }
                      written.add(s);
                      return s;
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom failed");
    assertThat(written).containsExactlyInAnyOrder("a", "c", "d");
  }

  @Test
  void idleHelpersEnd() {
    WaveWriter writer = new WaveWriter(3, java.time.Duration.ofMillis(100));
    writer.writeAll(List.of(1, 2, 3, 4), i -> i);
    assertThat(writer.helperThreads()).isLessThanOrEqualTo(3);
    // Helpers live on only while they are useful: no thread is leaked per reconciler.
    Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> writer.helperThreads() == 0);
  }

  @Test
  void refusesAPoolWithoutThreads() {
    assertThatThrownBy(() -> new WaveWriter(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sync writes need at least one thread, not 0");
  }
}
