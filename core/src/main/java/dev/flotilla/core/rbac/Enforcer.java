package dev.flotilla.core.rbac;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides every request against one immutable snapshot of the global policy, the built-in roles,
 * the project roles and the default role. Build a new one when any of them changes; it is cheap and
 * safe to share between threads.
 *
 * <p>A subject holds its own name, its teams, the default role, and everything reachable from those
 * through {@code g} lines (user → team → role → role ...). A request is allowed when some held rule
 * allows it and no held rule denies it: deny always wins. That includes rules reached only through
 * the default role: unlike Argo CD (where a deny cannot take back what {@code policy.default}
 * grants), a deny here always has the last word, so one line can shut a user out.
 */
public final class Enforcer {

  public static final String ROLE_ADMIN = "role:admin";
  public static final String ROLE_READONLY = "role:readonly";

  /** Built-in roles, as Argo CD ships them in spirit: admin may do everything, readonly may get. */
  public static final PolicySet BUILT_IN =
      PolicySet.parse("p, role:admin, *, *, *, allow\n" + "p, role:readonly, *, get, *, allow\n");

  private final Map<String, List<ScopedRule>> rulesBySubject = new HashMap<>();
  private final Map<String, List<String>> rolesByMember = new HashMap<>();
  private final String defaultRole;

  /** A rule and, for rules from a project role, the project it may act in. */
  record ScopedRule(PolicyRule rule, ProjectRoles project) {
    boolean applies(String resource, String action, String object) {
      return rule.matches(resource, action, object)
          && (project == null || project.covers(resource, object));
    }
  }

  /**
   * @param projectRoles by project name
   * @param defaultRole held by every authenticated subject; empty or null for none
   */
  public Enforcer(PolicySet global, Map<String, ProjectRoles> projectRoles, String defaultRole) {
    this.defaultRole = defaultRole == null ? "" : defaultRole.strip();
    for (PolicySet set : List.of(BUILT_IN, global)) {
      set.rules().forEach(r -> addRule(new ScopedRule(r, null)));
      set.bindings().forEach(this::addBinding);
    }
    for (ProjectRoles roles : projectRoles.values()) {
      roles.rules().forEach(r -> addRule(new ScopedRule(r, roles)));
      roles.bindings().forEach(this::addBinding);
    }
  }

  private void addRule(ScopedRule rule) {
    rulesBySubject.computeIfAbsent(rule.rule().subject(), k -> new ArrayList<>()).add(rule);
  }

  private void addBinding(RoleBinding binding) {
    rolesByMember.computeIfAbsent(binding.member(), k -> new ArrayList<>()).add(binding.role());
  }

  /** Whether {@code subject} may do {@code action} on the {@code resource} named {@code object}. */
  public boolean enforce(Subject subject, String resource, String action, String object) {
    return grantsOf(subject).allows(resource, action, object);
  }

  /**
   * Everything {@code subject} holds, resolved once: use it to decide many requests of one caller
   * (for example filtering a long list).
   */
  public Grants grantsOf(Subject subject) {
    Set<String> held = rolesOf(subject);
    List<ScopedRule> rules = new ArrayList<>();
    for (String name : held) {
      rules.addAll(rulesBySubject.getOrDefault(name, List.of()));
    }
    return new Grants(held, rules);
  }

  /**
   * The items of {@code items} that {@code subject} may {@code get}, in their order. {@code
   * objectOf} names each item as policy lines do ({@code <project>/<app>}, a project or cluster
   * name).
   */
  public <T> List<T> visible(
      Subject subject, String resource, Collection<T> items, Function<? super T, String> objectOf) {
    Grants grants = grantsOf(subject);
    return items.stream()
        .filter(item -> grants.allows(resource, Actions.GET, objectOf.apply(item)))
        .toList();
  }

  /** The subject's own names, the default role and every role reachable from them. */
  Set<String> rolesOf(Subject subject) {
    Deque<String> todo = new ArrayDeque<>();
    if (subject.isProjectRole()) {
      todo.add(subject.projectRole().orElseThrow().subject());
    } else {
      // A user or team called "role:admin" or "proj:x:y" would otherwise hold that role outright.
      if (!reserved(subject.name())) {
        todo.add(subject.name());
      }
      subject.teams().stream().filter(t -> !reserved(t)).forEach(todo::add);
    }
    if (!defaultRole.isEmpty()) {
      todo.add(defaultRole);
    }
    Set<String> held = new LinkedHashSet<>();
    while (!todo.isEmpty()) {
      String name = todo.poll();
      if (held.add(name)) {
        todo.addAll(rolesByMember.getOrDefault(name, List.of()));
      }
    }
    return held;
  }

  static boolean reserved(String name) {
    return name.startsWith("role:") || name.startsWith("proj:");
  }
}
