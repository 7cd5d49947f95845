package dev.flotilla.agent.reconcile.drift;

/**
 * One drifted field.
 *
 * @param path JSON pointer, e.g. {@code /data/greeting}
 * @param desired JSON text of the desired value, {@code null} when we want the field absent
 * @param live JSON text of the live value, {@code null} when the field is absent
 */
public record FieldDiff(String path, String desired, String live) {}
