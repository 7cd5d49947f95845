package dev.flotilla.generators.generator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.generators.GenerationError;
import dev.flotilla.generators.template.TemplateException;
import dev.flotilla.generators.template.TemplateTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The matrix generator: the cartesian product of exactly two child generators. The second child's
 * spec may use the first child's parameters; it is then evaluated once per first-child parameter
 * set, otherwise only once.
 */
public final class MatrixGenerator implements Generator {

  @Override
  public GeneratorOutput generate(JsonNode spec, GeneratorContext context, String location) {
    return generate(spec, context, location, 1);
  }

  static GeneratorOutput generate(
      JsonNode spec, GeneratorContext context, String location, int depth) {
    JsonNode children = spec.path("generators");
    if (!children.isArray() || children.size() != 2) {
      return GeneratorOutput.failure(
          location + ".generators",
          "the matrix generator needs exactly two child generators, found "
              + (children.isArray() ? children.size() : 0));
    }
    String firstLocation = location + ".generators[0]";
    String secondLocation = location + ".generators[1]";
    GeneratorOutput first = Generators.run(children.get(0), context, firstLocation, depth);
    if (first.failed()) {
      return new GeneratorOutput(List.of(), first.errors(), first.requeueAfter(), true);
    }
    List<GenerationError> errors = new ArrayList<>(first.errors());
    Optional<Duration> requeue = first.requeueAfter();
    if (first.paramSets().isEmpty()) {
      // Argo CD fails the matrix rather than silently producing nothing.
      return failed(errors, firstLocation, "child generator generated no parameters");
    }

    TemplateTree secondTree;
    try {
      secondTree = TemplateTree.compile(children.get(1), context.engine(), secondLocation);
    } catch (TemplateException e) {
      return failed(errors, secondLocation, e.getMessage());
    }
    // When the second child does not refer to the first's params it is evaluated only once.
    GeneratorOutput shared = null;
    if (secondTree.isLiteral()) {
      shared = Generators.run(children.get(1), context, secondLocation, depth);
      if (shared.failed()) {
        return failed(concat(errors, shared.errors()));
      }
      if (shared.paramSets().isEmpty()) {
        return failed(
            concat(errors, shared.errors()),
            secondLocation,
            "child generator generated no parameters");
      }
      errors.addAll(shared.errors());
      requeue = Generators.earliest(requeue, shared.requeueAfter());
    }
    List<ParamSet> product = new ArrayList<>();
    for (ParamSet left : first.paramSets()) {
      GeneratorOutput second = shared;
      if (second == null) {
        JsonNode interpolated;
        try {
          interpolated = secondTree.render(left.params());
        } catch (TemplateException e) {
          errors.add(new GenerationError(left.source(), secondLocation + ": " + e.getMessage()));
          continue;
        }
        second = Generators.run(interpolated, context, secondLocation, depth);
        if (second.failed()) {
          // A second child failing for one left-hand element fails the whole matrix: its
          // output would otherwise silently shrink.
          return failed(concat(errors, second.errors()));
        }
        if (second.paramSets().isEmpty()) {
          return failed(
              concat(errors, second.errors()),
              secondLocation,
              "child generator generated no parameters (for " + left.source() + ")");
        }
        errors.addAll(second.errors());
        requeue = Generators.earliest(requeue, second.requeueAfter());
      }
      for (ParamSet right : second.paramSets()) {
        String source = left.source() + " × " + right.source();
        try {
          product.add(
              new ParamSet(combine(left.params(), right.params(), context.nestedParams()), source));
        } catch (GeneratorException e) {
          errors.add(new GenerationError(source, e.getMessage()));
        }
        if (product.size() > context.maxParamSets()) {
          return failed(
              concat(errors, List.of()),
              location,
              "the matrix produces more than " + context.maxParamSets() + " parameter sets");
        }
      }
    }
    return new GeneratorOutput(product, errors, requeue, false);
  }

  /**
   * Joins two parameter sets. With flat params a key present in both must agree (Argo's rule); with
   * nested params they are deep-merged and the first child's non-empty values win, as Argo's mergo
   * call without override does.
   */
  static Map<String, Object> combine(Map<String, Object> a, Map<String, Object> b, boolean nested)
      throws GeneratorException {
    boolean overlap = false;
    for (Map.Entry<String, Object> entry : b.entrySet()) {
      Object existing = a.get(entry.getKey());
      if (existing == null && !a.containsKey(entry.getKey())) {
        continue;
      }
      overlap = true;
      if (!nested && !Objects.equals(existing, entry.getValue())) {
        throw new GeneratorException(
            "",
            "found duplicate key '"
                + entry.getKey()
                + "' with different values: '"
                + existing
                + "' and '"
                + entry.getValue()
                + "'");
      }
    }
    if (nested && overlap) {
      return ParamMerge.merge(a, b, false);
    }
    // Without conflicting keys a read-only view is enough and saves a map per combination.
    return new CombinedParams(a, b);
  }

  private static List<GenerationError> concat(List<GenerationError> a, List<GenerationError> b) {
    return Generators.concat(a, b);
  }

  private static GeneratorOutput failed(List<GenerationError> errors) {
    return new GeneratorOutput(List.of(), errors, Optional.empty(), true);
  }

  private static GeneratorOutput failed(
      List<GenerationError> errors, String location, String message) {
    List<GenerationError> all = new ArrayList<>(errors);
    all.add(new GenerationError(location, message));
    return failed(all);
  }
}
