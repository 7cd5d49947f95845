package dev.flotilla.controlplane.identity;

import java.util.List;

/** A team with the names of its members, sorted. */
public record TeamMembers(Team team, List<String> members) {

  public TeamMembers {
    members = List.copyOf(members);
  }
}
