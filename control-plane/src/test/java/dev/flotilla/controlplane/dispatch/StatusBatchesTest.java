package dev.flotilla.controlplane.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.application.ApplicationStatusRepository.Report;
import dev.flotilla.proto.agent.v1.ApplicationStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which statuses go to the database together, with a write that completes when told to. */
class StatusBatchesTest {

  /** A write in flight: the statuses it was given and what completes it. */
  private record Write(List<String> applications, Promise<List<Boolean>> done) {
    void store() {
      List<Boolean> all = new ArrayList<>();
      applications.forEach(a -> all.add(!a.startsWith("stale")));
      done.complete(all);
    }
  }

  private final List<Write> writes = new ArrayList<>();

  private StatusBatches batches(int limit, int cap) {
    return new StatusBatches(
        limit,
        cap,
        reports -> {
          Promise<List<Boolean>> p = Promise.promise();
          writes.add(new Write(reports.stream().map(r -> r.status().getApplication()).toList(), p));
          return p.future();
        });
  }

  private static List<Report> reports(String... applications) {
    List<Report> out = new ArrayList<>();
    for (String a : applications) {
      out.add(new Report("east", ApplicationStatus.newBuilder().setApplication(a).build()));
    }
    return out;
  }

  @Test
  void aLoneStatusIsWrittenAtOnce() {
    StatusBatches batches = batches(4, 256);
    Future<Boolean> web = batches.submit(reports("web")).get(0);
    assertThat(writes).hasSize(1);
    assertThat(writes.get(0).applications()).containsExactly("web");
    writes.get(0).store();
    assertThat(web.result()).isTrue();
  }

  @Test
  void statusesArrivingWhileWritesAreInFlightShareTheNextTransaction() {
    StatusBatches batches = batches(2, 256);
    List<Future<Boolean>> first = batches.submit(reports("a1", "a2"));
    List<Future<Boolean>> second = batches.submit(reports("b1"));
    assertThat(writes).as("both places taken").hasSize(2);

    List<Future<Boolean>> waiting = new ArrayList<>();
    waiting.addAll(batches.submit(reports("c1", "stale-c2")));
    waiting.addAll(batches.submit(reports("d1")));
    assertThat(writes).hasSize(2);
    assertThat(batches.queued()).isEqualTo(3);

    writes.get(1).store();
    assertThat(second.get(0).result()).isTrue();
    assertThat(writes).as("what queued up goes as one").hasSize(3);
    assertThat(writes.get(2).applications()).containsExactly("c1", "stale-c2", "d1");
    assertThat(batches.queued()).isZero();

    writes.get(2).store();
    assertThat(waiting).extracting(Future::result).containsExactly(true, false, true);
    writes.get(0).store();
    assertThat(first).extracting(Future::result).containsExactly(true, true);
    assertThat(writes).hasSize(3);
  }

  @Test
  void aBatchHoldsAtMostTheCapAndTheRestFollowsInAnotherPlace() {
    StatusBatches batches = batches(2, 3);
    batches.submit(reports("a", "b", "c", "d", "e", "f", "g"));
    assertThat(writes)
        .extracting(Write::applications)
        .containsExactly(List.of("a", "b", "c"), List.of("d", "e", "f"));
    writes.get(0).store();
    assertThat(writes.get(2).applications()).containsExactly("g");
  }

  @Test
  void aSecondStatusOfAnApplicationWaitsForTheNextBatch() {
    StatusBatches batches = batches(1, 256);
    List<Future<Boolean>> stored = batches.submit(reports("web", "api", "web", "db"));
    assertThat(writes.get(0).applications()).containsExactly("web", "api", "db");
    writes.get(0).store();
    assertThat(writes.get(1).applications()).containsExactly("web");
    writes.get(1).store();
    assertThat(stored).allMatch(f -> f.succeeded() && f.result());
  }

  @Test
  void aFailedBatchIsWrittenAgainOneByOneSoOneBadStatusFailsAlone() {
    StatusBatches batches = batches(1, 256);
    List<Future<Boolean>> stored = batches.submit(reports("web", "poison", "stale-db"));
    Future<Boolean> later = batches.submit(reports("api")).get(0);
    writes.get(0).done().fail(new IllegalStateException("value too long"));

    assertThat(writes).as("each alone, one after the other").hasSize(2);
    assertThat(writes.get(1).applications()).containsExactly("web");
    writes.get(1).store();
    assertThat(writes.get(2).applications()).containsExactly("poison");
    writes.get(2).done().fail(new IllegalStateException("value too long"));
    assertThat(writes.get(3).applications()).containsExactly("stale-db");
    assertThat(later.isComplete()).as("its place is still taken").isFalse();
    writes.get(3).store();

    assertThat(stored.get(0).result()).isTrue();
    assertThat(stored.get(1).cause()).hasMessage("value too long");
    assertThat(stored.get(2).result()).as("not stored, yet written").isFalse();
    assertThat(writes.get(4).applications()).as("the place is free again").containsExactly("api");
  }

  @Test
  void aWriteThatThrowsOrMiscountsFailsItsStatusesAndFreesItsPlace() {
    List<Integer> calls = new ArrayList<>();
    StatusBatches throwing =
        new StatusBatches(
            1,
            256,
            reports -> {
              calls.add(reports.size());
              if (calls.size() == 1) {
                throw new IllegalArgumentException("bad status");
              }
              return Future.succeededFuture(List.of());
            });
    List<Future<Boolean>> stored = throwing.submit(reports("web", "api"));
    assertThat(calls).as("the batch, then each alone").containsExactly(2, 1, 1);
    assertThat(stored).allMatch(Future::failed);
    assertThat(stored.get(0).cause()).hasMessage("0 results for 1 statuses");
    assertThat(throwing.submit(reports("db")).get(0).failed()).isTrue();
    assertThat(calls).hasSize(4);
  }

  @Test
  void aLimitOrCapBelowOneIsRefused() {
    assertThatThrownBy(() -> batches(0, 1)).hasMessageContaining("at least 1, not 0 and 1");
    assertThatThrownBy(() -> batches(1, 0)).hasMessageContaining("at least 1, not 1 and 0");
  }
}
