package dev.flotilla.controlplane.ui;

import java.time.Instant;

/**
 * A browser's session: the hash of its cookie value, the hash of the API token it was opened with,
 * the CSRF token its forms carry, and when it ends.
 */
public record UiSession(String idHash, String tokenHash, String csrf, Instant expiresAt) {

  @Override
  public String toString() {
    return "UiSession[expiresAt=" + expiresAt + "]";
  }
}
