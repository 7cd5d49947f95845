package dev.flotilla.core.yaml;

/** A YAML or JSON document could not be read, or broke a size or alias limit. */
public class YamlException extends Exception {
  public YamlException(String message) {
    super(message);
  }

  public YamlException(String message, Throwable cause) {
    super(message, cause);
  }
}
