package dev.flotilla.controlplane.query;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.core.selector.LabelSelector;
import dev.flotilla.core.selector.LabelSelectorException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** Core's {@link LabelSelector} at the API's edge: parameter errors and documents' labels. */
public final class LabelSelectors {

  private LabelSelectors() {}

  /**
   * Reads a {@code kubectl -l} style selector from a request parameter.
   *
   * @param field how errors name the parameter
   * @throws ApiException INVALID naming the field and the bad requirement
   */
  public static LabelSelector parse(String text, String field) {
    try {
      return LabelSelector.parse(text);
    } catch (LabelSelectorException e) {
      throw ApiException.invalid(field + ": " + e.getMessage());
    }
  }

  /** {@code metadata.labels} of a Kubernetes-style document, empty when it has none. */
  public static Map<String, String> labelsOf(JsonObject document) {
    Object metadata = document.getValue("metadata");
    Object labels = metadata instanceof JsonObject m ? m.getValue("labels") : null;
    Map<String, String> map = new TreeMap<>();
    if (labels instanceof JsonObject l) {
      l.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return map;
  }
}
