package dev.flotilla.generators.generator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.selector.LabelSelector;
import dev.flotilla.core.selector.LabelSelectorException;
import dev.flotilla.generators.ClusterInfo;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.template.Names;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster generator: one parameter set per registered cluster matching {@code selector}, with
 * {@code name}, {@code nameNormalized}, {@code server}, {@code project}, the cluster's labels and
 * annotations under {@code metadata}, and {@code values} rendered against those.
 */
public final class ClusterGenerator implements Generator {

  @Override
  public GeneratorOutput generate(JsonNode spec, GeneratorContext context, String location) {
    LabelSelector selector;
    try {
      selector = LabelSelector.parse(spec.path("selector"), location + ".selector");
    } catch (LabelSelectorException e) {
      return GeneratorOutput.failure(e.where(), e.getMessage());
    }
    List<ClusterInfo> clusters = new ArrayList<>(context.inputs().clusters());
    clusters.sort(Comparator.comparing(ClusterInfo::name));
    List<ParamSet> paramSets = new ArrayList<>();
    List<GenerationError> errors = new ArrayList<>();
    for (ClusterInfo cluster : clusters) {
      if (!selector.matches(cluster.labels())) {
        continue;
      }
      String where = location + " (cluster " + cluster.name() + ")";
      Map<String, Object> params = params(cluster, context.nestedParams());
      try {
        context.appendValues(spec.path("values"), params, location + ".values");
      } catch (GeneratorException e) {
        errors.add(new GenerationError(where, e.location() + ": " + e.getMessage()));
        continue;
      }
      paramSets.add(new ParamSet(params, where));
    }
    if (spec.path("flatList").asBoolean(false)) {
      // flatList: one parameter set whose "clusters" lists every matching cluster's parameters.
      List<Object> all = new ArrayList<>();
      for (ParamSet paramSet : paramSets) {
        all.add(paramSet.params());
      }
      Map<String, Object> flat = new LinkedHashMap<>();
      flat.put("clusters", all);
      return new GeneratorOutput(
          List.of(new ParamSet(flat, location + " (flatList)")), errors, Optional.empty(), false);
    }
    return new GeneratorOutput(paramSets, errors, Optional.empty(), false);
  }

  /** The parameters Argo CD gives one cluster. */
  static Map<String, Object> params(ClusterInfo cluster, boolean nested) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("name", cluster.name());
    params.put("nameNormalized", Names.normalize(cluster.name()));
    params.put("server", cluster.server());
    // Flotilla clusters are not scoped to a project; Argo gives "" for unscoped clusters.
    params.put("project", "");
    Map<String, String> labels = new TreeMap<>(cluster.labels());
    Map<String, String> annotations = new TreeMap<>(cluster.annotations());
    if (nested) {
      // As in Argo, empty label or annotation maps are absent, which matters with missingkey=error.
      Map<String, Object> metadata = new LinkedHashMap<>();
      if (!annotations.isEmpty()) {
        metadata.put("annotations", new LinkedHashMap<String, Object>(annotations));
      }
      if (!labels.isEmpty()) {
        metadata.put("labels", new LinkedHashMap<String, Object>(labels));
      }
      params.put("metadata", metadata);
    } else {
      labels.forEach((key, value) -> params.put("metadata.labels." + key, value));
      annotations.forEach((key, value) -> params.put("metadata.annotations." + key, value));
    }
    return params;
  }
}
