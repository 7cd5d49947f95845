package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AppCountsTest {

  private static AppSummary app(String name, String cluster, String sync, String health) {
    return new AppSummary(name, "p", cluster, "", sync, health, "", "", "main", "", null, Map.of());
  }

  record Case(
      String name, List<AppSummary> apps, List<String> syncOrder, List<String> healthOrder) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("none", List.of(), List.of(), List.of()),
        new Case(
            "Argo CD's order, not the order met",
            List.of(
                app("a", "c", "Synced", "Unknown"),
                app("b", "c", "Unknown", "Degraded"),
                app("c", "c", "OutOfSync", "Healthy")),
            List.of("OutOfSync", "Synced", "Unknown"),
            List.of("Healthy", "Degraded", "Unknown")),
        new Case(
            "a state it does not know goes last",
            List.of(app("a", "c", "Synced", "Weird"), app("b", "c", "Synced", "Missing")),
            List.of("Synced"),
            List.of("Missing", "Weird")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void countsInAStableOrder(Case c) {
    AppCounts counts = AppCounts.of(c.apps());
    assertThat(counts.total()).isEqualTo(c.apps().size());
    assertThat(counts.bySync().keySet()).containsExactlyElementsOf(c.syncOrder());
    assertThat(counts.byHealth().keySet()).containsExactlyElementsOf(c.healthOrder());
  }

  @Test
  void groupsByClusterInNameOrder() {
    var by =
        AppCounts.by(
            List.of(
                app("a", "west", "Synced", "Healthy"),
                app("b", "east", "OutOfSync", "Healthy"),
                app("c", "east", "Synced", "Healthy"),
                app("d", null, "Unknown", "Unknown")),
            AppSummary::cluster);
    assertThat(by.keySet()).containsExactly("", "east", "west");
    assertThat(by.get("east").total()).isEqualTo(2);
    assertThat(by.get("east").bySync()).containsEntry("OutOfSync", 1L).containsEntry("Synced", 1L);
    assertThat(by.get("east").byHealth()).containsExactly(Map.entry("Healthy", 2L));
  }
}
