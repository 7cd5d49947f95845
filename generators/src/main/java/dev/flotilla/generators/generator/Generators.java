package dev.flotilla.generators.generator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.core.selector.LabelSelector;
import dev.flotilla.core.selector.LabelSelectorException;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.template.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Finds which generator an entry of {@code generators:} is and runs it. */
public final class Generators {

  /** Generator types this engine runs. */
  public static final Set<String> SUPPORTED = Set.of("list", "clusters", "git", "matrix", "merge");

  /** Argo CD generator types that need live services Flotilla does not offer here. */
  public static final Set<String> UNSUPPORTED =
      Set.of("scmProvider", "pullRequest", "clusterDecisionResource", "plugin");

  /** Matrix and merge may nest, but not without bound. */
  public static final int MAX_NESTING = 3;

  private static final Map<String, Generator> BY_TYPE =
      Map.of(
          "list", new ListGenerator(),
          "clusters", new ClusterGenerator(),
          "git", new GitGenerator(),
          "matrix", new MatrixGenerator(),
          "merge", new MergeGenerator());

  private Generators() {}

  /**
   * The generator type of one entry: its single key other than {@code selector}.
   *
   * @throws GeneratorException when there is none, more than one, or an unknown one
   */
  public static String typeOf(JsonNode entry, String location) throws GeneratorException {
    if (entry == null || !entry.isObject()) {
      throw new GeneratorException(location, "a generator must be a map");
    }
    List<String> types = new ArrayList<>();
    Iterator<String> names = entry.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals("selector") && !entry.get(name).isNull()) {
        types.add(name);
      }
    }
    if (types.isEmpty()) {
      throw new GeneratorException(
          location, "empty generator: expected one of " + sorted(SUPPORTED));
    }
    if (types.size() > 1) {
      throw new GeneratorException(
          location, "a generator entry must hold exactly one generator, found " + types);
    }
    String type = types.get(0);
    if (UNSUPPORTED.contains(type)) {
      throw new GeneratorException(
          location + "." + type, "the '" + type + "' generator is not supported by Flotilla");
    }
    if (!SUPPORTED.contains(type)) {
      throw new GeneratorException(
          location + "." + type,
          "unknown generator '" + type + "': expected one of " + sorted(SUPPORTED));
    }
    return type;
  }

  /** Runs one generator entry, including its optional post-{@code selector}. */
  public static GeneratorOutput run(
      JsonNode entry, GeneratorContext context, String location, int depth) {
    String type;
    try {
      type = typeOf(entry, location);
    } catch (GeneratorException e) {
      return GeneratorOutput.failure(e.location(), e.getMessage());
    }
    JsonNode spec = entry.get(type);
    String where = location + "." + type;
    if (!spec.isObject()) {
      return GeneratorOutput.failure(where, "the " + type + " generator must be a map");
    }
    GeneratorOutput output;
    if (type.equals("matrix") || type.equals("merge")) {
      if (depth >= MAX_NESTING) {
        return GeneratorOutput.failure(
            where, "matrix and merge generators nest at most " + MAX_NESTING + " levels deep");
      }
      output =
          type.equals("matrix")
              ? MatrixGenerator.generate(spec, context, where, depth + 1)
              : MergeGenerator.generate(spec, context, where, depth + 1);
    } else {
      output = BY_TYPE.get(type).generate(spec, context, where);
    }
    JsonNode requeue = spec.path("requeueAfterSeconds");
    if (!type.equals("git") && requeue.canConvertToLong() && requeue.asLong() >= 0) {
      output =
          new GeneratorOutput(
              output.paramSets(),
              output.errors(),
              Optional.of(Duration.ofSeconds(requeue.asLong())),
              output.failed());
    }
    JsonNode selector = entry.get("selector");
    if (selector != null && !selector.isNull() && !output.failed()) {
      output = select(output, selector, location + ".selector");
    }
    return output;
  }

  private static GeneratorOutput select(
      GeneratorOutput output, JsonNode selector, String location) {
    LabelSelector labelSelector;
    try {
      labelSelector = LabelSelector.parse(selector, location);
    } catch (LabelSelectorException e) {
      return GeneratorOutput.failure(e.where(), e.getMessage());
    }
    List<ParamSet> kept = new ArrayList<>();
    for (ParamSet paramSet : output.paramSets()) {
      Map<String, Object> flat = new LinkedHashMap<>();
      Values.flatten("", paramSet.params(), flat);
      Map<String, String> labels = new LinkedHashMap<>();
      flat.forEach((key, value) -> labels.put(key, String.valueOf(value)));
      if (labelSelector.matches(labels)) {
        kept.add(paramSet);
      }
    }
    return new GeneratorOutput(kept, output.errors(), output.requeueAfter(), false);
  }

  /** The earlier of two optional requeue delays. */
  public static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return a.get().compareTo(b.get()) <= 0 ? a : b;
  }

  static List<GenerationError> concat(List<GenerationError> a, List<GenerationError> b) {
    List<GenerationError> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String sorted(Set<String> names) {
    return names.stream().sorted().toList().toString();
  }
}
