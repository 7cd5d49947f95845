package dev.flotilla.generators.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rendered objects must behave like any Jackson ObjectNode for callers that read or change them.
 */
class CompactFieldMapTest {

  private static ObjectNode compact() {
    ObjectNode node = new ObjectNode(JsonNodeFactory.instance, new CompactFieldMap(1));
    node.put("b", "1");
    node.put("a", 2);
    node.putObject("c").put("x", true);
    return node;
  }

  @Test
  void keepsInsertionOrderAndSerializesLikeAnyObjectNode() throws Exception {
    ObjectNode node = compact();
    assertThat(new ObjectMapper().writeValueAsString(node))
        .isEqualTo("{\"b\":\"1\",\"a\":2,\"c\":{\"x\":true}}");
    JsonNode ordinary = new ObjectMapper().readTree("{\"a\":2,\"b\":\"1\",\"c\":{\"x\":true}}");
    assertThat(node).isEqualTo(ordinary);
    assertThat(ordinary).isEqualTo(node);
    assertThat(node.hashCode()).isEqualTo(ordinary.hashCode());
  }

  @Test
  void supportsReplaceRemoveAndIteratorRemoval() {
    ObjectNode node = compact();
    node.put("a", 3);
    assertThat(node.get("a").asInt()).isEqualTo(3);
    assertThat(node.size()).isEqualTo(3);
    node.remove("b");
    assertThat(node.has("b")).isFalse();
    node.put("d", "new");
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("a", "c", "d");
    var fields = node.fields();
    while (fields.hasNext()) {
      if (fields.next().getKey().equals("c")) {
        fields.remove();
      }
    }
    assertThat(node.toString()).isEqualTo("{\"a\":3,\"d\":\"new\"}");
    assertThat(node.deepCopy()).isEqualTo(node);
    node.removeAll();
    assertThat(node.isEmpty()).isTrue();
  }
}
