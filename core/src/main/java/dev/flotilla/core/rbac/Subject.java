package dev.flotilla.core.rbac;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is asking: a user with the teams they belong to, or a project role (the holder of a project
 * token, whose {@link #name} is {@code proj:<project>:<role>} and who belongs to no team).
 */
public record Subject(String name, Set<String> teams, Optional<ProjectRole> projectRole) {

  /** The role a project token acts as. */
  public record ProjectRole(String project, String role) {

    public ProjectRole {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(role, "role");
    }

    /** The subject used for this role in policy lines: {@code proj:<project>:<role>}. */
    public String subject() {
      return ProjectRoles.subjectOf(project, role);
    }
  }

  public Subject {
    Objects.requireNonNull(name, "name");
    teams = Set.copyOf(teams);
    Objects.requireNonNull(projectRole, "projectRole");
  }

  public static Subject user(String name, Collection<String> teams) {
    return new Subject(name, new TreeSet<>(teams), Optional.empty());
  }

  public static Subject projectRole(String project, String role) {
    ProjectRole pr = new ProjectRole(project, role);
    return new Subject(pr.subject(), Set.of(), Optional.of(pr));
  }

  public boolean isProjectRole() {
    return projectRole.isPresent();
  }
}
