package dev.flotilla.controlplane.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the names of a read of many documents fall into reads of at most so many. */
class FleetApplicationChunksTest {

  @Test
  void namesFallIntoRunsOfAtMostTheSizeEachOnceInOrder() {
    assertThat(FleetApplicationRepository.chunks(List.of("a", "b", "c", "d", "e"), 2))
        .containsExactly(List.of("a", "b"), List.of("c", "d"), List.of("e"));
    assertThat(FleetApplicationRepository.chunks(List.of("a", "b", "c", "d"), 2))
        .containsExactly(List.of("a", "b"), List.of("c", "d"));
    assertThat(FleetApplicationRepository.chunks(List.of("a", "b", "a", "c", "b"), 2))
        .as("a name asked twice is read once")
        .containsExactly(List.of("a", "b"), List.of("c"));
    assertThat(FleetApplicationRepository.chunks(List.of(), 2)).isEmpty();
  }

  @Test
  void tenThousandNamesAreTenReads() {
    List<String> names =
        java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> "app-" + i).toList();

    List<List<String>> chunks =
        FleetApplicationRepository.chunks(names, FleetApplicationRepository.NAMES_PER_READ);

    assertThat(chunks).hasSize(10).allSatisfy(c -> assertThat(c).hasSize(1000));
    assertThat(chunks.stream().flatMap(List::stream)).containsExactlyElementsOf(names);
  }
}
