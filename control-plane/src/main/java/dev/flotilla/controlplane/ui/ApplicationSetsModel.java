package dev.flotilla.controlplane.ui;

import java.time.Instant;
import java.util.List;

/** The ApplicationSets page: every set the caller may see. */
public record ApplicationSetsModel(
    PageChrome chrome, List<ApplicationSetSummary> rows, Instant now) {}
