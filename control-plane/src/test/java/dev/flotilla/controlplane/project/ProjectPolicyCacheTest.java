package dev.flotilla.controlplane.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProjectPolicyCacheTest {

  private final AtomicLong version = new AtomicLong(1);
  private final AtomicInteger loads = new AtomicInteger();
  private final ProjectPolicyCache<String> cache =
      new ProjectPolicyCache<>(
          () -> Future.succeededFuture(version.get()),
          () -> Future.succeededFuture("policies#" + loads.incrementAndGet()));

  private static <T> T now(Future<T> f) {
    assertThat(f.isComplete()).as("completed at once").isTrue();
    return f.result();
  }

  @Test
  void sameVersionIsAHit() {
    assertThat(now(cache.get())).isEqualTo("policies#1");
    assertThat(now(cache.get())).isEqualTo("policies#1");
    assertThat(loads).hasValue(1);
  }

  @Test
  void aMovedVersionLoadsAgain() {
    now(cache.get());
    version.incrementAndGet();
    assertThat(now(cache.get())).isEqualTo("policies#2");
    assertThat(now(cache.get())).isEqualTo("policies#2");
    assertThat(loads).hasValue(2);
  }

  @Test
  void invalidateLoadsAgainAtTheSameVersion() {
    now(cache.get());
    cache.invalidate();
    assertThat(now(cache.get())).isEqualTo("policies#2");
  }

  @Test
  void concurrentReadersShareOneLoadAndAFailedLoadIsNotKept() {
    AtomicInteger started = new AtomicInteger();
    Promise<String>[] pending = new Promise[2];
    ProjectPolicyCache<String> slow =
        new ProjectPolicyCache<>(
            () -> Future.succeededFuture(7L),
            () -> {
              Promise<String> p = Promise.promise();
              pending[started.getAndIncrement()] = p;
              return p.future();
            });
    Future<String> a = slow.get();
    Future<String> b = slow.get();
    assertThat(started).hasValue(1);
    pending[0].fail("database away");
    assertThat(a.failed()).isTrue();
    assertThat(b.failed()).isTrue();

    Future<String> c = slow.get();
    assertThat(started).as("the failure was not cached").hasValue(2);
    pending[1].complete("ok");
    assertThat(now(c)).isEqualTo("ok");
    assertThat(now(slow.get())).isEqualTo("ok");
  }
}
