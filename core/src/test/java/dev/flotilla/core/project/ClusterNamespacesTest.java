package dev.flotilla.core.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.project.ProjectPolicy.Destination;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterNamespacesTest {

  private static final String SERVER = "https://10.0.0.1";
  private static final String NAME = "east";

  record Case(String name, List<Destination> destinations, String namespace, String violation) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "glob on this cluster's name permits its namespaces",
            List.of(new Destination("", "east", "team-a-*")),
            "team-a-web",
            null),
        new Case(
            "a namespace outside the glob is refused, naming what is permitted",
            List.of(new Destination("", "east", "team-a-*")),
            "kube-system",
            "destinations on this cluster permit 'team-a-*'"),
        new Case(
            "entries for another cluster permit nothing here",
            List.of(new Destination("", "west", "*"), new Destination("https://10.9.*", "", "*")),
            "team-a-web",
            "the project permits no namespace on this cluster"),
        new Case(
            "the server alone matches the cluster",
            List.of(new Destination("https://10.0.*", "", "apps")),
            "apps",
            null),
        new Case(
            "a '!' namespace denies it even with a '*' entry",
            List.of(new Destination("*", "*", "*"), new Destination("*", "*", "!kube-*")),
            "kube-system",
            "excluded by destination namespace '!kube-*'"),
        new Case(
            "a '!' namespace of another cluster's entry still denies it (Argo)",
            List.of(new Destination("", "east", "*"), new Destination("", "west", "!kube-system")),
            "kube-system",
            "excluded by destination namespace '!kube-system'"),
        new Case(
            "a '!' namespace does not touch other namespaces",
            List.of(new Destination("", "east", "*"), new Destination("", "east", "!kube-system")),
            "apps",
            null),
        new Case(
            "a '!' server excluding this cluster denies every other namespace",
            List.of(
                new Destination("", "east", "*"), new Destination("!https://10.0.0.1", "", "x")),
            "apps",
            "a destination whose '!' server or name pattern excludes this cluster permits only"
                + " namespace 'x'"),
        new Case(
            "an empty namespace pattern matches only the empty namespace",
            List.of(new Destination("", "east", "")),
            "default",
            "destinations on this cluster permit ''"),
        new Case(
            "no destinations",
            List.of(),
            "apps",
            "the project permits no namespace on this" + " cluster"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decidesNamespacesOnOneCluster(Case c) {
    ClusterNamespaces on =
        new ProjectPolicy("p", List.of("*"), c.destinations()).namespacesOn(SERVER, NAME);
    assertThat(on.violation(c.namespace()).orElse(null)).isEqualTo(c.violation());
    assertThat(on.permits(c.namespace())).isEqualTo(c.violation() == null);
  }

  /**
   * The agent decides with the reduced form what the control plane decides with the whole project,
   * for every combination of a small set of patterns, clusters and namespaces.
   */
  @Test
  void agreesWithTheWholeDestinationCheck() {
    List<String> servers =
        List.of(
            "", "*", "https://10.0.0.1", "https://10.0.*", "!https://10.0.0.1", "!https://prod");
    List<String> names = List.of("", "*", "east", "we*", "!east", "!west");
    List<String> namespaces =
        List.of("", "*", "team-a-*", "kube-system", "!kube-*", "!team-a-web", "{apps,web}");
    List<Destination> all = new ArrayList<>();
    for (String s : servers) {
      for (String n : names) {
        for (String ns : namespaces) {
          all.add(new Destination(s, n, ns));
        }
      }
    }
    List<String[]> clusters =
        List.of(
            new String[] {SERVER, NAME},
            new String[] {"", NAME},
            new String[] {SERVER, ""},
            new String[] {"https://prod", "west"});
    List<String> objectNamespaces =
        List.of("", "team-a-web", "team-a-api", "kube-system", "kube-public", "apps", "default");
    int checked = 0;
    // Projects of one and two entries drawn from every combination (a stride prime to the list
    // sizes keeps it quick).
    for (int i = 0; i < all.size(); i++) {
      for (int j = i; j < all.size(); j += 11) {
        List<Destination> destinations =
            i == j ? List.of(all.get(i)) : List.of(all.get(i), all.get(j));
        ProjectPolicy policy = new ProjectPolicy("p", List.of("*"), destinations);
        for (String[] cluster : clusters) {
          ClusterNamespaces on = policy.namespacesOn(cluster[0], cluster[1]);
          for (String ns : objectNamespaces) {
            assertThat(on.permits(ns))
                .as("%s on %s/%s, namespace '%s'", destinations, cluster[0], cluster[1], ns)
                .isEqualTo(
                    policy.isDestinationPermitted(new Destination(cluster[0], cluster[1], ns)));
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(80_000);
  }
}
