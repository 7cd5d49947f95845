package dev.flotilla.core.yaml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON for {@link BoundedYaml}: Jackson with {@link StreamReadConstraints} set from the limits.
 * JSON has no aliases, so what it expands to is bounded by its length; nesting is what needs a
 * limit (Jackson's default is 1,000 levels, and deep trees overflow stacks further on).
 */
final class BoundedJson {

  private final ObjectMapper mapper;
  private final int maxBytes;

  BoundedJson(YamlLimits limits) {
    this.maxBytes = limits.maxBytes();
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(BoundedYaml.MAX_NESTING_DEPTH)
            .maxDocumentLength(limits.maxBytes())
            .maxStringLength(limits.maxBytes())
            .build();
    this.mapper =
        new ObjectMapper(JsonFactory.builder().streamReadConstraints(constraints).build());
  }

  JsonNode read(String text) throws YamlException {
    try {
      JsonNode node = mapper.readTree(text);
      return node == null || node.isMissingNode() ? null : node;
    } catch (JsonProcessingException e) {
      throw refused(e);
    }
  }

  List<JsonNode> readAll(String text) throws YamlException {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = mapper.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        documents.add(it.nextValue());
      }
    } catch (JsonProcessingException e) {
      throw refused(e);
    } catch (IOException e) {
      // Reading a String does no I/O; kept for the checked signature.
      throw new YamlException("cannot read JSON: " + e.getMessage(), e);
    }
    return documents;
  }

  private YamlException refused(JsonProcessingException e) {
    StreamConstraintsException limit = constraint(e);
    if (limit != null) {
      String message = String.valueOf(limit.getOriginalMessage());
      if (message.contains("nesting depth")) {
        return new YamlException(
            "document nests deeper than " + BoundedYaml.MAX_NESTING_DEPTH + " levels, the limit",
            e);
      }
      return new YamlException(
          "document is larger than the limit of " + maxBytes + " bytes (" + message + ")", e);
    }
    JsonLocation at = e.getLocation();
    String where =
        at == null || at.getLineNr() < 0
            ? ""
            : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new YamlException("invalid JSON" + where + ": " + e.getOriginalMessage(), e);
  }

  /** A limit hit can arrive wrapped by databind, and has no location (hence the old NPE). */
  private static StreamConstraintsException constraint(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof StreamConstraintsException limit) {
        return limit;
      }
    }
    return null;
  }
}
