package dev.flotilla.controlplane.ui;

import java.time.Instant;
import java.util.Set;

/**
 * The Applications page.
 *
 * @param error why the query could not be applied (the page then lists nothing), or ""
 * @param syncable the names on this page the caller may sync (others get no checkbox)
 */
public record ApplicationsModel(
    PageChrome chrome,
    ApplicationsQuery query,
    ApplicationsListing listing,
    Set<String> syncable,
    Instant now,
    String error,
    String flash) {}
