package dev.flotilla.generators.generator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.template.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The merge generator: the first child's parameter sets are the base; a later child's parameter set
 * whose {@code mergeKeys} values equal a base set's overrides that set's values. Later sets
 * matching no base set are dropped, as in Argo CD.
 */
public final class MergeGenerator implements Generator {

  @Override
  public GeneratorOutput generate(JsonNode spec, GeneratorContext context, String location) {
    return generate(spec, context, location, 1);
  }

  static GeneratorOutput generate(
      JsonNode spec, GeneratorContext context, String location, int depth) {
    JsonNode children = spec.path("generators");
    if (!children.isArray() || children.size() < 2) {
      return GeneratorOutput.failure(
          location + ".generators", "the merge generator needs at least two child generators");
    }
    LinkedHashSet<String> mergeKeys = new LinkedHashSet<>();
    for (JsonNode key : spec.path("mergeKeys")) {
      if (key.isTextual() && !key.textValue().isEmpty()) {
        mergeKeys.add(key.textValue());
      }
    }
    if (mergeKeys.isEmpty()) {
      return GeneratorOutput.failure(
          location + ".mergeKeys", "the merge generator needs at least one merge key");
    }
    List<GenerationError> errors = new ArrayList<>();
    Optional<Duration> requeue = Optional.empty();
    Map<String, Map<String, Object>> base = new LinkedHashMap<>();
    Map<String, String> baseSources = new LinkedHashMap<>();
    for (int i = 0; i < children.size(); i++) {
      String childLocation = location + ".generators[" + i + "]";
      GeneratorOutput child = Generators.run(children.get(i), context, childLocation, depth);
      errors.addAll(child.errors());
      if (child.failed()) {
        return new GeneratorOutput(List.of(), errors, Optional.empty(), true);
      }
      requeue = Generators.earliest(requeue, child.requeueAfter());
      Map<String, ParamSet> byKey = new LinkedHashMap<>();
      for (ParamSet paramSet : child.paramSets()) {
        String key = key(paramSet.params(), mergeKeys);
        if (byKey.containsKey(key)) {
          errors.add(
              new GenerationError(
                  childLocation,
                  "two parameter sets share the merge key "
                      + key
                      + " ("
                      + byKey.get(key).source()
                      + " and "
                      + paramSet.source()
                      + "); merge keys must be unique"));
          return new GeneratorOutput(List.of(), errors, Optional.empty(), true);
        }
        byKey.put(key, paramSet);
      }
      if (i == 0) {
        byKey.forEach(
            (key, paramSet) -> {
              base.put(key, new LinkedHashMap<>(paramSet.params()));
              baseSources.put(key, paramSet.source());
            });
        continue;
      }
      for (Map.Entry<String, ParamSet> entry : byKey.entrySet()) {
        Map<String, Object> target = base.get(entry.getKey());
        if (target != null) {
          target.putAll(entry.getValue().params());
        }
      }
    }
    List<ParamSet> merged = new ArrayList<>();
    base.forEach((key, params) -> merged.add(new ParamSet(params, baseSources.get(key))));
    return new GeneratorOutput(merged, errors, requeue, false);
  }

  /** The merge-key values of a parameter set; nested params may name keys with dots. */
  private static String key(Map<String, Object> params, LinkedHashSet<String> mergeKeys) {
    StringBuilder key = new StringBuilder("{");
    for (String mergeKey : mergeKeys) {
      Object value = params.containsKey(mergeKey) ? params.get(mergeKey) : lookup(params, mergeKey);
      if (key.length() > 1) {
        key.append(", ");
      }
      key.append(mergeKey).append('=').append(value == null ? "<no value>" : Values.format(value));
    }
    return key.append('}').toString();
  }

  private static Object lookup(Map<String, Object> params, String dotted) {
    Object current = params;
    for (String part : dotted.split("\\.")) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(part);
    }
    return current;
  }
}
