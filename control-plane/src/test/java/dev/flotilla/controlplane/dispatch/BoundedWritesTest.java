package dev.flotilla.controlplane.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedWritesTest {

  private final List<Promise<String>> started = new ArrayList<>();

  private Future<String> write(BoundedWrites writes) {
    return writes.submit(
        () -> {
          Promise<String> p = Promise.promise();
          started.add(p);
          return p.future();
        });
  }

  @Test
  void noMoreThanTheLimitRunAtOnceAndTheRestStartInArrivalOrder() {
    BoundedWrites writes = new BoundedWrites(2);
    Future<String> a = write(writes);
    Future<String> b = write(writes);
    Future<String> c = write(writes);
    Future<String> d = write(writes);
    assertThat(started).hasSize(2);
    assertThat(writes.waiting()).isEqualTo(2);

    started.get(1).complete("b");
    assertThat(b.result()).isEqualTo("b");
    assertThat(started).as("c takes b's place").hasSize(3);

    started.get(0).fail(new IllegalStateException("write failed"));
    assertThat(a.cause()).hasMessage("write failed");
    assertThat(started).as("a failure frees its place too").hasSize(4);

    started.get(2).complete("c");
    started.get(3).complete("d");
    assertThat(c.result()).isEqualTo("c");
    assertThat(d.result()).isEqualTo("d");
    assertThat(writes.waiting()).isZero();

    write(writes);
    write(writes);
    assertThat(started).as("both places free again").hasSize(6);
  }

  @Test
  void aWriteThatThrowsFailsItsFutureAndFreesItsPlace() {
    BoundedWrites writes = new BoundedWrites(1);
    Future<String> thrown =
        writes.submit(
            () -> {
              throw new IllegalArgumentException("bad status");
            });
    assertThat(thrown.cause()).hasMessage("bad status");
    write(writes);
    assertThat(started).hasSize(1);
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThatThrownBy(() -> new BoundedWrites(0)).hasMessageContaining("at least 1, not 0");
  }
}
