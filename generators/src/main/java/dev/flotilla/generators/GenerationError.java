package dev.flotilla.generators;

/**
 * One failure while generating.
 *
 * @param location where, as a path into the ApplicationSet, e.g. {@code
 *     spec.generators[0].list.elements[2]}
 * @param message what is wrong and, where possible, what to do
 */
public record GenerationError(String location, String message) {

  @Override
  public String toString() {
    return location + ": " + message;
  }
}
