package dev.flotilla.generators;

/** Turns an ApplicationSet and immutable inputs into Applications. Pure and thread-safe. */
public final class ApplicationSetEngine {

  /** Runs every generator, renders the template per parameter set and reports what failed. */
  public GenerationResult generate(ApplicationSet applicationSet, GeneratorInputs inputs) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
