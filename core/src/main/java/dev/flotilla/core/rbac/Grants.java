package dev.flotilla.core.rbac;

import java.util.List;
import java.util.Set;

/** What one subject holds under one {@link Enforcer}: its roles and the rules they carry. */
public final class Grants {

  private final Set<String> roles;
  private final List<Enforcer.ScopedRule> rules;

  Grants(Set<String> roles, List<Enforcer.ScopedRule> rules) {
    this.roles = Set.copyOf(roles);
    this.rules = List.copyOf(rules);
  }

  /** Every name the subject acts as: itself, its teams, the default role and inherited roles. */
  public Set<String> roles() {
    return roles;
  }

  /** Allowed when some rule allows and no rule denies; unknown resources and actions never are. */
  public boolean allows(String resource, String action, String object) {
    if (resource == null
        || action == null
        || object == null
        || !Resources.ALL.contains(resource)
        || !Actions.ALL.contains(action)) {
      return false;
    }
    boolean allowed = false;
    for (Enforcer.ScopedRule scoped : rules) {
      if (scoped.applies(resource, action, object)) {
        if (!scoped.rule().allow()) {
          return false;
        }
        allowed = true;
      }
    }
    return allowed;
  }
}
