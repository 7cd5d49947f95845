package dev.flotilla.controlplane.identity;

import dev.flotilla.controlplane.ApiException;
import java.time.Duration;
import java.time.Instant;

/** When a new token stops working, from a duration ({@code 90m}, {@code 12h}, {@code 30d}). */
public final class TokenExpiry {

  private TokenExpiry() {}

  /**
   * {@code now} plus {@code text}; null when {@code text} is null.
   *
   * @param field how errors name the field ({@code expiresIn}, {@code expires_in})
   */
  public static Instant after(Instant now, Object text, String field) {
    if (text == null) {
      return null;
    }
    if (!(text instanceof String s) || !s.matches("[1-9][0-9]{0,6}[smhd]")) {
      throw ApiException.invalid(
          field + ": must be a duration such as 90m, 12h or 30d, found '" + text + "'");
    }
    long n = Long.parseLong(s.substring(0, s.length() - 1));
    Duration d =
        switch (s.charAt(s.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
    return now.plus(d);
  }
}
