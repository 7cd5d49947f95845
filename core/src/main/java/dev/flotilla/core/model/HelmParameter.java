package dev.flotilla.core.model;

/**
 * One {@code helm.parameters} entry: a {@code --set} (or {@code --set-string} when forceString).
 *
 * @param value null when absent
 */
public record HelmParameter(String name, String value, boolean forceString) {}
