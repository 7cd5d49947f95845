package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.application.ApplicationView;

/**
 * The Delete page: the typed confirmation and the cascade choice.
 *
 * @param error why the last attempt was refused (the name did not match, the service said no)
 */
public record DeleteFormModel(
    PageChrome chrome, ApplicationView app, boolean mayDelete, boolean cascade, String error) {}
