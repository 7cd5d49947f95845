package dev.flotilla.controlplane.ui;

import java.time.Instant;
import java.util.List;

/**
 * The Clusters page.
 *
 * @param selector the label selector typed in the filter, as typed
 * @param error why the filter was refused; empty when it was not
 */
public record ClustersModel(
    PageChrome chrome, List<ClusterRow> rows, String selector, String error, Instant now) {}
