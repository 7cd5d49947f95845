package dev.flotilla.generators.generator;

import dev.flotilla.generators.GenerationError;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one generator produced.
 *
 * @param paramSets parameter sets, in the generator's deterministic order
 * @param errors problems; with {@code failed} false they concern single elements only
 * @param requeueAfter how soon to look again, if the generator asks
 * @param failed the generator as a whole could not run; its param sets must not be trusted to be
 *     complete
 */
public record GeneratorOutput(
    List<ParamSet> paramSets,
    List<GenerationError> errors,
    Optional<Duration> requeueAfter,
    boolean failed) {

  public GeneratorOutput {
    paramSets = List.copyOf(paramSets);
    errors = List.copyOf(errors);
  }

  public static GeneratorOutput failure(String location, String message) {
    return new GeneratorOutput(
        List.of(), List.of(new GenerationError(location, message)), Optional.empty(), true);
  }
}
