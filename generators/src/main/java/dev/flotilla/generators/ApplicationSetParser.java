package dev.flotilla.generators;

/** Reads Argo CD ApplicationSet YAML or JSON. */
public final class ApplicationSetParser {

  private ApplicationSetParser() {}

  /**
   * Parses one ApplicationSet document (YAML or JSON), bounded in size and alias expansion.
   *
   * @throws InvalidApplicationSetException naming what is wrong and where
   */
  public static ApplicationSet parse(String text) throws InvalidApplicationSetException {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
