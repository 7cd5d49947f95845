package dev.flotilla.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DestinationClusterTest {

  record Cluster(String name, String server) {}

  static final Cluster EAST = new Cluster("east", "https://east.example:6443");
  static final Cluster IN_CLUSTER = new Cluster("in-cluster", "https://10.0.0.1:6443");
  static final Cluster LOCAL_URL = new Cluster("local", "https://kubernetes.default.svc");

  record Case(String name, List<Cluster> clusters, String destName, String server, Cluster want) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("by name", List.of(EAST, IN_CLUSTER), "east", null, EAST),
        new Case("by server", List.of(EAST, IN_CLUSTER), "", EAST.server(), EAST),
        new Case("unknown name", List.of(EAST), "west", null, null),
        new Case("unknown server", List.of(EAST), null, "https://west:6443", null),
        new Case(
            "kubernetes.default.svc means the cluster named in-cluster",
            List.of(EAST, IN_CLUSTER),
            null,
            "https://kubernetes.default.svc",
            IN_CLUSTER),
        new Case(
            "a cluster registered with that URL wins over the name",
            List.of(IN_CLUSTER, LOCAL_URL),
            null,
            "https://kubernetes.default.svc",
            LOCAL_URL),
        new Case(
            "the name in-cluster means the cluster registered with that URL when none has the name",
            List.of(EAST, LOCAL_URL),
            "in-cluster",
            null,
            LOCAL_URL),
        new Case(
            "kubernetes.default.svc with no in-cluster registered",
            List.of(EAST),
            null,
            "https://kubernetes.default.svc",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void resolves(Case c) {
    Optional<Cluster> got =
        DestinationCluster.resolve(
            c.clusters(), Cluster::name, Cluster::server, c.destName(), c.server());
    assertThat(got).isEqualTo(Optional.ofNullable(c.want()));
  }
}
