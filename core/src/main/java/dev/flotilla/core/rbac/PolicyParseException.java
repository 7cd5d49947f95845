package dev.flotilla.core.rbac;

/** A policy that cannot be used, with where and why. The message is meant for the user. */
public final class PolicyParseException extends IllegalArgumentException {

  private final String location;
  private final String reason;

  public PolicyParseException(String location, String reason) {
    super(location + ": " + reason);
    this.location = location;
    this.reason = reason;
  }

  /** {@code line 3}, or a field path such as {@code spec.roles[0].policies[1]}. */
  public String location() {
    return location;
  }

  public String reason() {
    return reason;
  }
}
