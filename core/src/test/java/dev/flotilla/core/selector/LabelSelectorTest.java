package dev.flotilla.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.core.selector.LabelSelector.Operator;
import dev.flotilla.core.selector.LabelSelector.Requirement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

  static final Map<String, String> LABELS =
      Map.of("env", "prod", "team", "a", "flotilla.dev/tier", "web");

  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "''{0}'' matches: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|true",
        "env=prod|true",
        "env==prod|true",
        "env=dev|false",
        "env!=dev|true",
        "env!=prod|false",
        "team|true",
        "owner|false",
        "!owner|true",
        "!team|false",
        "env=prod, team=a|true",
        "env=prod,team=b|false",
        "flotilla.dev/tier=web|true",
        "missing!=x|true",
        "env=|false",
        "env in (prod,dev)|true",
        "env in (dev, qa)|false",
        "env notin (dev,qa)|true",
        "env notin (prod)|false",
        "missing notin (x)|true",
        "missing in (x)|false",
        "env in (prod,dev),team=a,!owner|true",
        "env in (prod,dev),team notin (a)|false",
      })
  void matchesLikeKubectl(String selector, boolean matches) {
    assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(matches);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "env=prod;drop",
        "=prod",
        "' OR 1=1 --",
        "a b=c",
        "env=prod,",
        "!",
        "env in ()",
        "env in (a b)",
        "env in (a),(b)",
        "env in a,b",
        "env within (a)",
        "env=(a)"
      })
  void refusesWhatIsNotARequirementAndNamesIt(String selector) {
    assertThatThrownBy(() -> LabelSelector.parse(selector))
        .isInstanceOf(LabelSelectorException.class)
        .hasMessageContaining("is not a label requirement (use key=value, key!=value")
        .satisfies(e -> assertThat(e.getMessage()).contains(((LabelSelectorException) e).where()));
  }

  @Test
  void bothSyntaxesReadIntoTheSameRequirements() throws Exception {
    LabelSelector text = LabelSelector.parse("env=prod,tier in (web,api),team notin (b),owner,!x");
    LabelSelector object =
        LabelSelector.parse(
            JSON.readTree(
                """
                {"matchLabels": {"env": "prod"},
                 "matchExpressions": [
                   {"key": "tier", "operator": "In", "values": ["web", "api"]},
                   {"key": "team", "operator": "NotIn", "values": ["b"]},
                   {"key": "owner", "operator": "Exists"},
                   {"key": "x", "operator": "DoesNotExist"}]}
                """),
            "selector");
    List<Requirement> expected =
        List.of(
            new Requirement("env", Operator.IN, List.of("prod")),
            new Requirement("tier", Operator.IN, List.of("web", "api")),
            new Requirement("team", Operator.NOT_IN, List.of("b")),
            new Requirement("owner", Operator.EXISTS, List.of()),
            new Requirement("x", Operator.DOES_NOT_EXIST, List.of()));
    assertThat(text.requirements()).isEqualTo(expected);
    assertThat(object.requirements()).isEqualTo(expected);
  }

  record StructuredCase(String name, String selector, Map<String, String> labels, boolean matches) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<StructuredCase> structured() {
    Map<String, String> prod = Map.of("env", "prod", "region", "eu");
    return Stream.of(
        new StructuredCase("null selects everything", "null", prod, true),
        new StructuredCase("empty selects everything", "{}", Map.of(), true),
        new StructuredCase("matchLabels", "{\"matchLabels\": {\"env\": \"prod\"}}", prod, true),
        new StructuredCase(
            "matchLabels mismatch", "{\"matchLabels\": {\"env\": \"dev\"}}", prod, false),
        new StructuredCase(
            "In",
            "{\"matchExpressions\": [{\"key\": \"region\", \"operator\": \"In\","
                + " \"values\": [\"eu\", \"us\"]}]}",
            prod,
            true),
        new StructuredCase(
            "NotIn on a missing label",
            "{\"matchExpressions\": [{\"key\": \"tier\", \"operator\": \"NotIn\","
                + " \"values\": [\"web\"]}]}",
            prod,
            true),
        new StructuredCase(
            "DoesNotExist",
            "{\"matchExpressions\": [{\"key\": \"env\", \"operator\": \"DoesNotExist\"}]}",
            prod,
            false),
        new StructuredCase(
            "labels and expressions all hold",
            "{\"matchLabels\": {\"env\": \"prod\"}, \"matchExpressions\": [{\"key\": \"region\","
                + " \"operator\": \"Exists\"}]}",
            prod,
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("structured")
  void matchesStructuredSelectors(StructuredCase c) throws Exception {
    JsonNode node = JSON.readTree(c.selector());
    assertThat(LabelSelector.parse(node, "selector").matches(c.labels())).isEqualTo(c.matches());
  }

  record Refusal(String selector, String where, String message) {
    @Override
    public String toString() {
      return where + ": " + message;
    }
  }

  static Stream<Refusal> refusals() {
    return Stream.of(
        new Refusal("[]", "sel", "selector must be a map"),
        new Refusal("{\"matchLabels\": []}", "sel.matchLabels", "matchLabels must be a map"),
        new Refusal(
            "{\"matchExpressions\": {}}",
            "sel.matchExpressions",
            "matchExpressions must be a list"),
        new Refusal(
            "{\"matchExpressions\": [{\"operator\": \"Exists\"}]}",
            "sel.matchExpressions[0].key",
            "key is required"),
        new Refusal(
            "{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"Exists\"},"
                + " {\"key\": \"b\", \"operator\": \"Equals\"}]}",
            "sel.matchExpressions[1].operator",
            "unknown operator 'Equals' (expected In, NotIn, Exists or DoesNotExist)"),
        new Refusal(
            "{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"In\"}]}",
            "sel.matchExpressions[0].values",
            "operator In needs at least one value"),
        new Refusal(
            "{\"matchExpressions\": [{\"key\": \"a\", \"operator\": \"Exists\","
                + " \"values\": [\"x\"]}]}",
            "sel.matchExpressions[0].values",
            "operator Exists takes no values"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refusesMalformedStructuredSelectorsNamingTheField(Refusal r) throws Exception {
    JsonNode node = JSON.readTree(r.selector());
    assertThatThrownBy(() -> LabelSelector.parse(node, "sel"))
        .isInstanceOf(LabelSelectorException.class)
        .hasMessage(r.message())
        .satisfies(e -> assertThat(((LabelSelectorException) e).where()).isEqualTo(r.where()));
  }

  @Test
  void emptySelectorsSelectEverything() {
    assertThat(LabelSelector.parse((String) null).isEmpty()).isTrue();
    assertThat(LabelSelector.parse("  ").matches(Map.of())).isTrue();
    assertThat(LabelSelector.parse((JsonNode) null, "sel")).isSameAs(LabelSelector.EVERYTHING);
  }
}
