package dev.flotilla.agent.reconcile.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OwnWritesTest {

  static final ObjectMapper JSON = new ObjectMapper();
  final OwnWrites own = new OwnWrites();

  @Test
  void theVersionOurWriteProducedIsCurrentAndTheOneItReplacedStandsForOurAnswer() {
    write(key("a"), "app", "10", "11");

    assertThat(own.current(key("a"), live("a", "11", "cached")))
        .isEqualTo(live("a", "11", "cached"));
    assertThat(own.current(key("a"), live("a", "10", "old"))).isEqualTo(live("a", "11", "answer"));
  }

  @Test
  void anyOtherVersionAMissOrNothingRememberedIsNotVouchedFor() {
    write(key("a"), "app", "10", "11");

    assertThat(own.current(key("a"), live("a", "12", "someone else's"))).isNull();
    assertThat(own.current(key("a"), null)).isNull(); // created-then-deleted looks the same
    assertThat(own.current(key("b"), live("b", "10", "x"))).isNull();
  }

  @Test
  void aCreateVouchesOnlyForTheVersionItProduced() {
    write(key("a"), "app", null, "5");

    assertThat(own.current(key("a"), null)).isNull();
    assertThat(own.current(key("a"), live("a", "5", "cached"))).isNotNull();
  }

  @Test
  void nothingIsVouchedForWhileAWriteIsInFlightAndAFailedOneForgets() {
    write(key("a"), "app", "10", "11");
    own.begin(key("a"));

    assertThat(own.current(key("a"), live("a", "11", "cached"))).isNull();

    own.forget(key("a"));

    assertThat(own.current(key("a"), live("a", "11", "cached"))).isNull();
    assertThat(own.size()).isZero();
  }

  @Test
  void anUnchangedObjectKeepsWhatTheLastWriteReturned() {
    write(key("a"), "app", "10", "11");
    own.begin(key("a"));
    own.unchanged(key("a"));

    assertThat(own.current(key("a"), live("a", "10", "old"))).isEqualTo(live("a", "11", "answer"));
  }

  @Test
  void overlappingWritesOfOneObjectLeaveNothingRemembered() {
    own.begin(key("a"));
    own.begin(key("a")); // a self-heal racing a sync: which the server took last is unknown
    own.wrote(key("a"), desired("a", "app"), "10", live("a", "11", "heal"));
    own.wrote(key("a"), desired("a", "app"), "10", live("a", "12", "sync"));

    assertThat(own.current(key("a"), live("a", "12", "cached"))).isNull();
    assertThat(own.current(key("a"), live("a", "10", "old"))).isNull();
    assertThat(own.size()).isZero();

    write(key("a"), "app", "12", "13"); // the next write on its own is remembered again
    assertThat(own.current(key("a"), live("a", "13", "cached"))).isNotNull();
  }

  @Test
  void onlyTheObjectsAnApplicationStillWantsAreKept() {
    write(key("a"), "one", "1", "2");
    write(key("b"), "one", "1", "2");
    write(key("c"), "two", "1", "2");

    own.retain("one", Set.of(key("a")));

    assertThat(own.current(key("b"), live("b", "2", "x"))).isNull();
    assertThat(own.current(key("a"), live("a", "2", "x"))).isNotNull();

    own.forgetApplication("one");

    assertThat(own.size()).isEqualTo(1);
    assertThat(own.current(key("c"), live("c", "2", "x"))).isNotNull();
  }

  @Test
  void anObjectWithoutATrackingIdIsNotRemembered() {
    own.begin(key("a"));
    own.wrote(key("a"), live("a", "", "no tracking"), "1", live("a", "2", "answer"));

    assertThat(own.size()).isZero();
  }

  @Test
  void writesOfManyObjectsOnManyThreadsAreEachRemembered() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    write(key(thread + "-" + i), "app-" + thread, "1", "2");
                    own.retain("app-" + thread, Set.of(key(thread + "-" + i)));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    // Each Application kept only its last object.
    assertThat(own.size()).isEqualTo(4);
  }

  private void write(ObjectKey key, String app, String replaced, String written) {
    own.begin(key);
    own.wrote(key, desired(key.name(), app), replaced, live(key.name(), written, "answer"));
  }

  static ObjectKey key(String name) {
    return new ObjectKey("", "v1", "ConfigMap", "ns", name);
  }

  static ObjectNode desired(String name, String app) {
    ObjectNode obj = live(name, "", "desired");
    obj.with("metadata")
        .with("annotations")
        .put(Tracking.TRACKING_ID, Tracking.trackingId(app, key(name)));
    return obj;
  }

  static ObjectNode live(String name, String resourceVersion, String data) {
    ObjectNode obj = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
    ObjectNode meta = obj.putObject("metadata").put("name", name).put("namespace", "ns");
    if (!resourceVersion.isEmpty()) {
      meta.put("resourceVersion", resourceVersion);
    }
    obj.putObject("data").put("k", data);
    return obj;
  }
}
