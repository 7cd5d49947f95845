package dev.flotilla.controlplane.ui;

import java.util.List;

/**
 * The Application page's History and the actions beyond Sync and Refresh the caller may take.
 *
 * @param history deployments, newest first, with how long each took
 * @param error why the action just asked for was refused (shown as a flash); empty otherwise
 */
public record DetailActions(
    List<HistoryRow> history, boolean mayRollback, boolean mayDelete, String error) {}
