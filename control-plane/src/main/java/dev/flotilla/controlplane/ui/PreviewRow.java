package dev.flotilla.controlplane.ui;

/**
 * What a sync would do to one object.
 *
 * @param change {@code create}, {@code update}, {@code delete}, {@code keep} (Git no longer has it
 *     but the sync does not prune) or {@code unchanged}
 * @param diff the unified diff for an update (live → desired); empty otherwise
 */
public record PreviewRow(String kind, String namespace, String name, String change, String diff) {}
