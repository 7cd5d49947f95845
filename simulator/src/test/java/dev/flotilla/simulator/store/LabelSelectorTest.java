package dev.flotilla.simulator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LabelSelectorTest {

  record Case(String selector, Map<String, String> labels, boolean matches) {
    @Override
    public String toString() {
      return "'" + selector + "' on " + labels + " -> " + matches;
    }
  }

  static Stream<Case> cases() {
    Map<String, String> web = Map.of("app", "web", "tier", "front", "rank", "3");
    return Stream.of(
        new Case("", web, true),
        new Case("app=web", web, true),
        new Case("app==web", web, true),
        new Case("app=db", web, false),
        new Case("app!=db", web, true),
        new Case("missing!=x", web, true),
        new Case("app in (db,web)", web, true),
        new Case("app in (db, cache)", web, false),
        new Case("app notin (db)", web, true),
        new Case("app notin (web)", web, false),
        new Case("missing notin (web)", web, true),
        new Case("tier", web, true),
        new Case("missing", web, false),
        new Case("!missing", web, true),
        new Case("!tier", web, false),
        new Case("app in (a,web),tier=front", web, true),
        new Case("app in (a,web),tier=back", web, false),
        new Case("rank>2", web, true),
        new Case("rank<2", web, false),
        new Case("example.com/team=x", Map.of("example.com/team", "x"), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matches(Case c) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ObjectNode labels = o.putObject("metadata").putObject("labels");
    c.labels().forEach(labels::put);
    assertThat(LabelSelector.parse(c.selector()).test(o)).isEqualTo(c.matches());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesWhatItCannotParseNamingIt(String selector) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label selector \"" + selector + "\"");
  }

  static Stream<String> invalid() {
    return Stream.of("app in (a", "a b", "rank>x", "=x", "app,,b");
  }
}
