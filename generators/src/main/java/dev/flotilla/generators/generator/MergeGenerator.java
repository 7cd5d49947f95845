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
    List<Map<String, Object>> base = new ArrayList<>();
    List<String> baseKeys = new ArrayList<>();
    List<String> baseSources = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      String childLocation = location + ".generators[" + i + "]";
      GeneratorOutput child = Generators.run(children.get(i), context, childLocation, depth);
      errors.addAll(child.errors());
      if (child.failed()) {
        return new GeneratorOutput(List.of(), errors, Optional.empty(), true);
      }
      requeue = Generators.earliest(requeue, child.requeueAfter());
      if (child.paramSets().isEmpty()) {
        errors.add(new GenerationError(childLocation, "child generator generated no parameters"));
        return new GeneratorOutput(List.of(), errors, Optional.empty(), true);
      }
      if (i == 0) {
        // The base may hold several sets with the same key; each of them gets the override.
        for (ParamSet paramSet : child.paramSets()) {
          base.add(new LinkedHashMap<>(paramSet.params()));
          baseKeys.add(key(paramSet.params(), mergeKeys));
          baseSources.add(paramSet.source());
        }
        continue;
      }
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
      for (int b = 0; b < base.size(); b++) {
        ParamSet override = byKey.get(baseKeys.get(b));
        if (override == null) {
          continue;
        }
        if (context.nestedParams()) {
          base.set(b, ParamMerge.merge(base.get(b), override.params(), true));
        } else {
          base.get(b).putAll(override.params());
        }
      }
    }
    List<ParamSet> merged = new ArrayList<>();
    for (int b = 0; b < base.size(); b++) {
      merged.add(new ParamSet(base.get(b), baseSources.get(b)));
    }
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
