package dev.flotilla.controlplane.identity;

/** A user or team name that is already taken (by a user or by a team). */
public final class IdentityConflictException extends RuntimeException {

  public IdentityConflictException(String message) {
    super(message);
  }
}
