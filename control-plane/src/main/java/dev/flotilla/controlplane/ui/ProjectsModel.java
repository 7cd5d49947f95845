package dev.flotilla.controlplane.ui;

import java.util.List;

/** The Projects page: the AppProjects the caller may see. */
public record ProjectsModel(PageChrome chrome, List<ProjectSummary> projects) {}
