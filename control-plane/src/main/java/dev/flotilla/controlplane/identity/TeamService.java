package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.AccessControl;
import dev.flotilla.controlplane.access.Audit;
import dev.flotilla.controlplane.access.Caller;
import dev.flotilla.controlplane.query.Page;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.core.rbac.Actions;
import dev.flotilla.core.rbac.Resources;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Teams and their members, for every entry point: a caller sees its own teams and those it may
 * {@code get} ({@code accounts}, {@code teams/<name>}); changes need the matching {@code accounts}
 * permission and are audited. Teams decide what callers may do, so the policy cache is dropped when
 * one goes.
 */
public final class TeamService {

  private final TeamRepository teams;
  private final AccessControl access;
  private final Audit audit;

  public TeamService(TeamRepository teams, AccessControl access, Audit audit) {
    this.teams = teams;
    this.access = access;
    this.audit = audit;
  }

  /** The teams the caller may see, by name, one page, each with its members. */
  public Future<Page<TeamMembers>> list(Caller caller, PageRequest request) {
    return teams
        .list()
        .compose(
            all -> {
              Page<Team> page =
                  request.apply(
                      all.stream()
                          .filter(
                              t ->
                                  caller.teams().contains(t.name())
                                      || caller.sees(Resources.ACCOUNTS, "teams/" + t.name()))
                          .toList(),
                      Team::name);
              // Members of the page only, one query after another: a page is bounded.
              List<TeamMembers> items = new ArrayList<>();
              Future<Void> chain = Future.succeededFuture();
              for (Team t : page.items()) {
                chain =
                    chain.compose(
                        v ->
                            teams
                                .members(t.name())
                                .map(
                                    members -> {
                                      items.add(new TeamMembers(t, members));
                                      return null;
                                    }));
              }
              return chain.map(v -> new Page<>(items, page.nextPageToken()));
            });
  }

  public Future<Team> create(Caller caller, String name, String description) {
    return AccountChanges.create(
        audit,
        caller,
        "team",
        name,
        () -> teams.create(name, description == null ? "" : description));
  }

  public Future<Void> delete(Caller caller, String name) {
    return AccountChanges.delete(audit, caller, "team", name, () -> teams.delete(name))
        .onSuccess(v -> access.invalidate());
  }

  /**
   * Adds ({@code member} true) or removes a member; yields whether anything changed. Adding to a
   * team or user that does not exist is NOT_FOUND.
   */
  public Future<Boolean> setMember(Caller caller, String team, String user, boolean member) {
    return AccountChanges.change(
        audit,
        caller,
        Actions.UPDATE,
        "teams/" + team,
        () ->
            member
                ? teams
                    .addMember(team, user)
                    .recover(
                        e ->
                            Future.failedFuture(
                                e instanceof IllegalArgumentException
                                    ? new ApiException(ApiException.Kind.NOT_FOUND, e.getMessage())
                                    : e))
                : teams.removeMember(team, user));
  }
}
