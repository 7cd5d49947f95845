package dev.flotilla.controlplane.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.ApiException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DriftPageQueryTest {

  record Case(String name, Map<String, String> params, String url, Boolean healed, int offset) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("nothing", Map.of(), "/drift", null, 0),
        new Case(
            "filters kept, blanks dropped",
            Map.of("cluster", " east ", "kind", "ConfigMap", "project", ""),
            "/drift?cluster=east&kind=ConfigMap",
            null,
            0),
        new Case("still drifted", Map.of("healed", "no"), "/drift?healed=no", false, 0),
        new Case(
            "put back, page 3",
            Map.of("healed", "yes", "page", "3"),
            "/drift?healed=yes&page=3",
            true,
            2 * DriftPageQuery.PAGE_SIZE),
        new Case(
            "a name is encoded",
            Map.of("application", "a b&c"),
            "/drift?application=a%20b%26c",
            null,
            0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsAndWritesTheUrl(Case c) {
    DriftPageQuery q = DriftPageQuery.parse(c.params()::get);
    assertThat(q.url("/drift", Map.of())).isEqualTo(c.url());
    assertThat(q.query(false).healed()).isEqualTo(c.healed());
    assertThat(q.query(false).offset()).isEqualTo(c.offset());
    assertThat(q.query(false).limit()).isEqualTo(DriftPageQuery.PAGE_SIZE);
    assertThat(q.query(true).offset()).as("the CSV starts at the top").isZero();
  }

  record Bad(String name, Map<String, String> params, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Bad> refused() {
    return Stream.of(
        new Bad("healed word", Map.of("healed", "maybe"), "healed: 'maybe' is not one of yes, no"),
        new Bad("page word", Map.of("page", "two"), "page: 'two' is not a whole number"),
        new Bad("page zero", Map.of("page", "0"), "page: 0 is outside 1.."),
        new Bad("long name", Map.of("cluster", "x".repeat(254)), "cluster: must be 1 to 253"),
        new Bad(
            "control character",
            Map.of("kind", "Config\u0007Map"),
            "kind: must not contain control characters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWithTheParameterNamed(Bad b) {
    assertThatThrownBy(() -> DriftPageQuery.parse(b.params()::get))
        .isInstanceOf(ApiException.class)
        .hasMessageStartingWith(b.message());
  }

  @ParameterizedTest(name = "{0} objects")
  @MethodSource("totals")
  void pagesOfATotal(long total, int pages) {
    assertThat(DriftPageQuery.pages(total)).isEqualTo(pages);
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> totals() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of(0L, 1),
        org.junit.jupiter.params.provider.Arguments.of(50L, 1),
        org.junit.jupiter.params.provider.Arguments.of(51L, 2),
        org.junit.jupiter.params.provider.Arguments.of(1000L, 20));
  }
}
