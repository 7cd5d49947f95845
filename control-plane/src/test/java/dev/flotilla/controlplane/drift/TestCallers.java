package dev.flotilla.controlplane.drift;

import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.core.rbac.Enforcer;
import dev.flotilla.core.rbac.PolicySet;
import dev.flotilla.core.rbac.Subject;
import java.util.Map;
import java.util.Set;

/** Restricted callers built from policy lines, as RBAC will hand them to the drift endpoints. */
public final class TestCallers {

  private TestCallers() {}

  /**
   * A user of team {@code team} holding exactly {@code policy} (lines whose subject is the team).
   */
  public static Caller member(String team, String policy) {
    Subject s = Subject.user("alice", Set.of(team));
    return new Caller(s, new Enforcer(PolicySet.parse(policy), Map.of(), "").grantsOf(s));
  }

  /** A user who may get every Application of each of {@code projects}, and nothing else. */
  public static Caller ofProjects(String... projects) {
    StringBuilder policy = new StringBuilder();
    for (String p : projects) {
      policy.append("p, t, applications, get, ").append(p).append("/*, allow\n");
    }
    return member("t", policy.toString());
  }
}
