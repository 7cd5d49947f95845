package dev.flotilla.controlplane.ui;

import dev.flotilla.controlplane.application.ApplicationView;
import dev.flotilla.controlplane.application.HistoryEntry;
import java.time.Instant;
import java.util.List;

/**
 * The Application detail page: status, resource tree, history and the actions the caller may take.
 */
public record ApplicationModel(
    PageChrome chrome,
    ApplicationView app,
    List<HistoryEntry> history,
    boolean maySync,
    ResourceTreeModel tree,
    Instant now,
    String flash,
    DetailActions actions,
    StatusPanel status) {}
