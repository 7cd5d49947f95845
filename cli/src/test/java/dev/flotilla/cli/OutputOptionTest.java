package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** YAML output reads back as the very JSON the API answered, whatever the strings look like. */
class OutputOptionTest {

  @Test
  void yamlReadsBackAsTheSameJson() throws Exception {
    JsonObject object =
        new JsonObject()
            .put("shortSha", "1234567")
            .put("sha", "1111111111111111111111111111111111111111")
            .put("exponent", "1e10")
            .put("hexExponent", "12e4567")
            .put("negative", "-5")
            .put("letterFirstSha", "abc1234")
            .put("looksBoolean", "true")
            .put("norway", "no")
            .put("nullWord", "null")
            .put("empty", "")
            .put("multiLine", "first\nsecond: x")
            .put("colon", "a: b")
            .put("number", 42)
            .put("flag", false)
            .put("missing", (String) null)
            .put("items", new JsonArray().add(new JsonObject().put("name", "web")).add("- dash"));
    String yaml = OutputOption.yaml(object);
    JsonNode back = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    assertThat(back).as(yaml).isEqualTo(new ObjectMapper().readTree(object.encode()));
    assertThat(yaml).as("no document marker, like kubectl").doesNotStartWith("---");
  }
}
