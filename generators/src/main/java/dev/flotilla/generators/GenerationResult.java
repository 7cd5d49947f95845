package dev.flotilla.generators;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one run of an ApplicationSet's generators produced.
 *
 * <p>Errors never remove Applications from {@code applications}: an element or generator that
 * failed simply contributes nothing, and the caller must then keep what it had (see DESIGN.md,
 * safety rules).
 *
 * @param applications rendered Applications, sorted by name
 * @param errors what failed, each naming where (generator index, element index, field)
 * @param requeueAfter how soon to look again, when a generator asked for it
 * @param warnings what was ignored on purpose, as Argo CD ignores it, each naming where; a warning
 *     changes nothing generated
 */
public record GenerationResult(
    List<GeneratedApplication> applications,
    List<GenerationError> errors,
    Optional<Duration> requeueAfter,
    List<GenerationError> warnings) {

  public GenerationResult {
    applications = List.copyOf(applications);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public GenerationResult(
      List<GeneratedApplication> applications,
      List<GenerationError> errors,
      Optional<Duration> requeueAfter) {
    this(applications, errors, requeueAfter, List.of());
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }
}
