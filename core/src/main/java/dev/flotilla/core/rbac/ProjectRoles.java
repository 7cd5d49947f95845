package dev.flotilla.core.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The roles an AppProject defines in {@code spec.roles[]}: each has policy lines whose subject is
 * {@code proj:<project>:<role>} and a list of groups (teams or users) that hold it.
 *
 * <p>A project's owners write these, so they must never reach beyond the project: as in Argo CD, a
 * policy line naming another subject, a resource outside the project, or an object outside {@code
 * <project>/} is invalid. Invalid lines are dropped and reported in {@link #problems()} (so a bad
 * line stored earlier cannot grant anything); {@link #requireValid()} turns them into an error for
 * the place where an AppProject is created or updated.
 *
 * <p>A project role may read its own project ({@code projects, get, <project>}) but never change
 * it: a role that could update its project could widen its own access.
 */
public final class ProjectRoles {

  private static final Pattern ROLE_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_]*[A-Za-z0-9])?");
  private static final Pattern PROJECT_NAME =
      Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  // One segment after "<project>/": Argo allows [*\w-.]; '/' stays out so the prefix is the scope.
  private static final Pattern OBJECT_TAIL = Pattern.compile("[-*?\\w.]+");

  /** A role as written in {@code spec.roles[]}. */
  public record Role(String name, List<String> policies, List<String> groups) {
    public Role {
      policies = List.copyOf(policies);
      groups = List.copyOf(groups);
    }
  }

  private final String project;
  private final List<PolicyRule> rules;
  private final List<RoleBinding> bindings;
  private final List<String> problems;

  private ProjectRoles(
      String project, List<PolicyRule> rules, List<RoleBinding> bindings, List<String> problems) {
    this.project = project;
    this.rules = List.copyOf(rules);
    this.bindings = List.copyOf(bindings);
    this.problems = List.copyOf(problems);
  }

  /** Whether {@code name} may name a project role (letters, digits, '-' and '_'). */
  public static boolean isRoleName(String name) {
    return name != null && ROLE_NAME.matcher(name).matches();
  }

  public static String subjectOf(String project, String role) {
    return "proj:" + project + ":" + role;
  }

  /**
   * Keeps every valid policy line and group of {@code roles}; lists what it dropped in {@link
   * #problems()}.
   *
   * @throws IllegalArgumentException when {@code project} is not a project name
   */
  public static ProjectRoles of(String project, List<Role> roles) {
    if (project == null || !PROJECT_NAME.matcher(project).matches()) {
      throw new IllegalArgumentException("not a project name: '" + project + "'");
    }
    List<PolicyRule> rules = new ArrayList<>();
    List<RoleBinding> bindings = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int r = 0; r < roles.size(); r++) {
      Role role = roles.get(r);
      String where = "spec.roles[" + r + "]";
      if (role.name() == null || !ROLE_NAME.matcher(role.name()).matches()) {
        problems.add(
            where + ".name: must be letters, digits, '-' and '_', found '" + role.name() + "'");
        continue;
      }
      if (!seen.add(role.name())) {
        problems.add(where + ".name: role '" + role.name() + "' is defined twice");
        continue;
      }
      String subject = subjectOf(project, role.name());
      for (int i = 0; i < role.policies().size(); i++) {
        String location = where + ".policies[" + i + "]";
        try {
          rules.add(checked(project, subject, role.policies().get(i), location));
        } catch (PolicyParseException e) {
          problems.add(e.getMessage());
        }
      }
      for (int i = 0; i < role.groups().size(); i++) {
        String group = role.groups().get(i) == null ? "" : role.groups().get(i).strip();
        if (group.isEmpty() || group.contains(",")) {
          problems.add(where + ".groups[" + i + "]: not a team or user name: '" + group + "'");
        } else {
          bindings.add(new RoleBinding(group, subject, 0));
        }
      }
    }
    return new ProjectRoles(project, rules, bindings, problems);
  }

  /** Reads {@code metadata.name} and {@code spec.roles} of an AppProject document. */
  public static ProjectRoles fromAppProject(JsonNode appProject) {
    String project = appProject.path("metadata").path("name").asText("");
    List<Role> roles = new ArrayList<>();
    List<String> shapeProblems = new ArrayList<>();
    JsonNode list = appProject.path("spec").path("roles");
    if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
      shapeProblems.add("spec.roles: must be a list");
    } else {
      for (int r = 0; r < list.size(); r++) {
        JsonNode role = list.get(r);
        roles.add(
            new Role(
                role.path("name").isTextual() ? role.path("name").asText() : null,
                strings(role.path("policies"), "spec.roles[" + r + "].policies", shapeProblems),
                strings(role.path("groups"), "spec.roles[" + r + "].groups", shapeProblems)));
      }
    }
    ProjectRoles parsed = of(project, roles);
    if (shapeProblems.isEmpty()) {
      return parsed;
    }
    List<String> problems = new ArrayList<>(shapeProblems);
    problems.addAll(parsed.problems);
    return new ProjectRoles(project, parsed.rules, parsed.bindings, problems);
  }

  private static List<String> strings(JsonNode node, String where, List<String> problems) {
    List<String> out = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problems.add(where + ": must be a list of strings");
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      if (node.get(i).isTextual()) {
        out.add(node.get(i).asText());
      } else {
        problems.add(where + "[" + i + "]: must be a string");
      }
    }
    return out;
  }

  private static PolicyRule checked(String project, String subject, String text, String location) {
    if (text == null || text.isBlank()) {
      throw new PolicyParseException(location, "policy line is empty");
    }
    Object parsed = PolicySet.parseLine(text.strip(), 0, location);
    if (!(parsed instanceof PolicyRule rule)) {
      throw new PolicyParseException(location, "a project role holds 'p' lines only");
    }
    if (!rule.subject().equals(subject)) {
      throw new PolicyParseException(
          location, "policy subject must be '" + subject + "', found '" + rule.subject() + "'");
    }
    if (Resources.inProject(rule.resource())) {
      String prefix = project + "/";
      if (!rule.object().startsWith(prefix)
          || !OBJECT_TAIL.matcher(rule.object().substring(prefix.length())).matches()) {
        throw new PolicyParseException(
            location,
            "object must be '"
                + project
                + "/*' or '"
                + project
                + "/<name>', found '"
                + rule.object()
                + "'");
      }
    } else if (rule.resource().equals(Resources.PROJECTS)) {
      if (!rule.action().equals(Actions.GET) || !rule.object().equals(project)) {
        throw new PolicyParseException(
            location,
            "a project role may only grant 'projects, get, "
                + project
                + "', found '"
                + rule.resource()
                + ", "
                + rule.action()
                + ", "
                + rule.object()
                + "'");
      }
    } else {
      throw new PolicyParseException(
          location,
          "resource must be applications, applicationsets, logs or projects, found '"
              + rule.resource()
              + "'");
    }
    return rule;
  }

  /**
   * @throws PolicyParseException for the first problem, when there is any
   */
  public ProjectRoles requireValid() {
    if (!problems.isEmpty()) {
      String first = problems.get(0);
      int colon = first.indexOf(": ");
      throw colon < 0
          ? new PolicyParseException("spec.roles", first)
          : new PolicyParseException(first.substring(0, colon), first.substring(colon + 2));
    }
    return this;
  }

  public String project() {
    return project;
  }

  /** Valid policy lines of every role. */
  public List<PolicyRule> rules() {
    return rules;
  }

  /** {@code g, <group>, proj:<project>:<role>} for every group of every role. */
  public List<RoleBinding> bindings() {
    return bindings;
  }

  /** What was dropped and why, each starting with the field path. */
  public List<String> problems() {
    return problems;
  }

  /**
   * Whether {@code object} of {@code resource} lies inside this project: checked again at enforce
   * time so a rule can never act outside its project whatever its pattern says.
   */
  boolean covers(String resource, String object) {
    if (Resources.inProject(resource)) {
      return object.startsWith(project + "/");
    }
    return resource.equals(Resources.PROJECTS) && object.equals(project);
  }
}
