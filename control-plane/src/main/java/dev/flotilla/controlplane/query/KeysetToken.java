package dev.flotilla.controlplane.query;

import dev.flotilla.controlplane.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * The page token of a list sorted newest first by (time desc, id desc): the key of the last item of
 * the previous page. The next page starts strictly after it, so entries added meanwhile (which are
 * newer) neither shift the pages nor appear twice, unlike an offset. Encoded opaquely so callers
 * pass it back unchanged instead of building one.
 */
public record KeysetToken(Instant at, long id) {

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  public String encode() {
    return ENCODER.encodeToString((at + "|" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes a token from {@link #encode()}; null or empty means the first page (null result).
   *
   * @param field how errors name the parameter ({@code pageToken}, {@code page_token})
   */
  public static KeysetToken decode(String token, String field) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int bar = text.lastIndexOf('|');
      if (bar < 0) {
        throw new IllegalArgumentException("no separator");
      }
      return new KeysetToken(
          Instant.parse(text.substring(0, bar)), Long.parseLong(text.substring(bar + 1)));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw ApiException.invalid(
          field + ": not a page token from this list; pass a nextPageToken back unchanged");
    }
  }
}
