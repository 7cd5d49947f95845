package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.application.ApplicationView;

/**
 * The Sync page: the options a sync takes (revision, prune) and, after "Dry run", what it would
 * change.
 *
 * @param preview null until a dry run was asked for
 * @param previewNote why the preview is missing or approximate; empty otherwise
 */
public record SyncFormModel(
    PageChrome chrome,
    ApplicationView app,
    String revision,
    boolean prune,
    boolean maySync,
    SyncPreview preview,
    String previewNote) {}
