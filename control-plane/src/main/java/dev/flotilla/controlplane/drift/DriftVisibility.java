package dev.flotilla.controlplane.drift;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The groups a scope shows, and how to tell the page query so in the fewest names.
 *
 * @param only the visible Applications when fewer than the hidden ones, else null
 * @param except the hidden Applications when fewer than the visible ones (null when none)
 */
record DriftVisibility(
    List<DriftReport.Group> groups,
    Set<String> applications,
    Set<String> projects,
    String[] only,
    String[] except) {

  static DriftVisibility of(List<DriftReport.Group> all, DriftScope scope) {
    List<DriftReport.Group> groups = new ArrayList<>(all.size());
    Set<String> applications = new HashSet<>();
    Set<String> projects = new HashSet<>();
    Set<String> hidden = new HashSet<>();
    for (DriftReport.Group g : all) {
      if (scope.sees(g.project(), g.application())) {
        groups.add(g);
        applications.add(g.application());
        projects.add(g.project());
      } else {
        hidden.add(g.application());
      }
    }
    String[] only = null;
    String[] except = null;
    if (!hidden.isEmpty()) {
      if (applications.size() <= hidden.size()) {
        only = applications.toArray(String[]::new);
      } else {
        except = hidden.toArray(String[]::new);
      }
    }
    return new DriftVisibility(groups, applications, projects, only, except);
  }
}
