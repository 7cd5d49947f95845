package dev.flotilla.controlplane.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.controlplane.application.StoredApplication;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Slicing a read for many agents, and a cluster's use of its slice: what the slice holds is not
 * read again, what it lacks is, and a slice older than what the cluster holds is refused.
 */
class ResyncPrefetchTest {

  private final Store store = new Store();
  private final ClusterApplications east = new ClusterApplications("east", store);

  @Test
  void aClusterLacksWhatItDoesNotHoldAtItsCurrentGeneration() {
    Map<String, Map<String, Long>> held =
        Map.of("east", Map.of("a", 1L, "b", 2L), "west", Map.of(), "north", Map.of("c", 1L));
    Map<String, Map<String, Long>> now =
        Map.of("east", Map.of("a", 1L, "b", 3L, "d", 1L), "west", Map.of("e", 4L));

    Map<String, Set<String>> lacking = ResyncPrefetch.lacking(held, now);

    assertThat(lacking)
        .containsOnlyKeys("east", "west", "north")
        .containsEntry("east", Set.of("b", "d"))
        .containsEntry("west", Set.of("e"))
        .containsEntry("north", Set.of());
  }

  @Test
  void eachClusterGetsOnlyTheDocumentsStillDestinedToIt() {
    Map<String, Prefetched> slices =
        ResyncPrefetch.slices(
            7,
            8,
            null,
            Map.of("east", Map.of("a", 2L, "b", 1L), "west", Map.of("c", 1L)),
            Map.of("east", Set.of("a", "b"), "west", Set.of("c")),
            // b moved to west between the two reads.
            List.of(app("a", "east", 2), app("b", "west", 2), app("c", "west", 1)));

    assertThat(slices.get("east").documents()).containsOnlyKeys("a");
    assertThat(slices.get("east").read()).containsExactlyInAnyOrder("a", "b");
    assertThat(slices.get("east").generations()).containsEntry("b", 1L);
    assertThat(slices.get("west").documents()).containsOnlyKeys("c");
    assertThat(slices.get("west").readFrom()).isEqualTo(7);
  }

  @Test
  void whatTheSliceReadIsUsedWithoutAReadOfItsOwn() throws Exception {
    store.put(app("a", "east", 1));
    long readFrom = Prefetched.tick();
    Prefetched slice =
        new Prefetched(
            readFrom,
            Prefetched.tick(),
            null,
            Map.of("a", 1L),
            Set.of("a"),
            Map.of("a", app("a", "east", 1)));

    assertThat(east.accepts(slice)).isTrue();
    assertThat(names(get(east.current(slice)))).containsExactly("a@1");
    assertThat(store.reads).as("no read of its own").isEmpty();
    assertThat(east.generationsHeld()).isEqualTo(Map.of("a", 1L));
  }

  @Test
  void whatTheSliceDidNotReadIsReadByTheClusterAndOnlyThat() throws Exception {
    store.put(app("a", "east", 1));
    store.put(app("b", "east", 1));
    get(east.current());
    store.reads.clear();
    store.put(app("a", "east", 2));
    store.put(app("b", "east", 2));
    store.put(app("c", "east", 1));
    // The reader believed the cluster already held b at 2 (it was a step behind): not read.
    Prefetched slice =
        new Prefetched(
            Prefetched.tick(),
            Prefetched.tick(),
            null,
            Map.of("a", 2L, "b", 2L, "c", 1L),
            Set.of("a", "c"),
            Map.of("a", app("a", "east", 2), "c", app("c", "east", 1)));

    assertThat(names(get(east.current(slice)))).containsExactly("a@2", "b@2", "c@1");
    assertThat(store.reads).containsExactly("documents east [b]");
  }

  @Test
  void anApplicationTheSliceReadAndDidNotFindIsGoneWithoutAnotherRead() throws Exception {
    store.put(app("a", "east", 1));
    store.put(app("b", "east", 1));
    get(east.current());
    store.reads.clear();
    // b deleted between the slice's two reads; a deleted before them.
    Prefetched slice =
        new Prefetched(
            Prefetched.tick(), Prefetched.tick(), null, Map.of("b", 2L), Set.of("b"), Map.of());

    assertThat(get(east.current(slice))).isEmpty();
    assertThat(store.reads).isEmpty();
    assertThat(east.generationsHeld()).isEmpty();
  }

  @Test
  void aSliceIssuedBeforeTheClustersLastReadIsRefused() throws Exception {
    long issued = Prefetched.tick();
    store.put(app("a", "east", 3));
    get(east.current());
    Prefetched older = empty(issued, Prefetched.tick());
    assertThat(east.accepts(older))
        .as("it may predate a@3, which the cluster already holds")
        .isFalse();

    long from = Prefetched.tick();
    Prefetched newer = empty(from, Prefetched.tick());
    assertThat(east.accepts(newer)).isTrue();
    get(east.current(newer));
    assertThat(east.accepts(empty(from, from + 1)))
        .as("nor is one issued before a slice it took completed")
        .isFalse();
  }

  @Test
  void aSliceIssuedOnceThePreviousCompletedIsTakenEvenIfThatOneIsTakenLater() throws Exception {
    long from = Prefetched.tick();
    Prefetched first = empty(from, Prefetched.tick());
    // Reads run one after another: the next is issued as soon as the first completed.
    Prefetched second = empty(Prefetched.tick(), Prefetched.tick());

    get(east.current(first));

    assertThat(east.accepts(second)).isTrue();
    get(east.current(second));
    assertThat(store.reads).isEmpty();
  }

  private static Prefetched empty(long readFrom, long readUntil) {
    return new Prefetched(readFrom, readUntil, null, Map.of(), Set.of(), Map.of());
  }

  private static List<String> names(List<ClusterApplications.Known> known) {
    return known.stream().map(k -> k.app().name() + "@" + k.app().generation()).sorted().toList();
  }

  static StoredApplication app(String name, String cluster, long generation) {
    JsonObject doc =
        new JsonObject()
            .put("apiVersion", "argoproj.io/v1alpha1")
            .put("kind", "Application")
            .put("metadata", new JsonObject().put("name", name))
            .put(
                "spec",
                new JsonObject()
                    .put("project", "default")
                    .put(
                        "source",
                        new JsonObject()
                            .put("repoURL", "https://example.invalid/r.git")
                            .put("path", name))
                    .put(
                        "destination",
                        new JsonObject().put("name", cluster).put("namespace", name)));
    return new StoredApplication(
        name, "set", "default", cluster, doc, "abc", generation, null, true);
  }

  /** The applications table, in memory; records each read. */
  private static final class Store implements ClusterApplications.Reads {
    final Map<String, StoredApplication> rows = new HashMap<>();
    final List<String> reads = new ArrayList<>();

    void put(StoredApplication a) {
      rows.put(a.name(), a);
    }

    @Override
    public Future<Map<String, Long>> generations(String cluster) {
      reads.add("generations " + cluster);
      Map<String, Long> g = new TreeMap<>();
      rows.values().stream()
          .filter(a -> a.cluster().equals(cluster))
          .forEach(a -> g.put(a.name(), a.generation()));
      return Future.succeededFuture(g);
    }

    @Override
    public Future<List<StoredApplication>> documents(String cluster, Collection<String> names) {
      reads.add("documents " + cluster + " " + new TreeSet<>(names));
      return Future.succeededFuture(
          rows.values().stream()
              .filter(a -> a.cluster().equals(cluster) && names.contains(a.name()))
              .toList());
    }
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
