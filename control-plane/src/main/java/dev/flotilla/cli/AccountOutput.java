package dev.flotilla.cli;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Option;

/**
 * {@code -o table|json} for the users, teams, tokens and audit commands: a table for people, or the
 * server's JSON as it came, pretty-printed, for scripts.
 */
final class AccountOutput {

  enum Format {
    table,
    json
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default) or json (the server's answer, pretty-printed).")
  Format format = Format.table;

  /** Prints {@code response} as JSON and answers true when JSON was asked for. */
  boolean printedJson(JsonObject response) {
    if (format != Format.json) {
      return false;
    }
    System.out.println(response.encodePrettily());
    return true;
  }

  /**
   * An ISO-8601 time from the server, to the second and in UTC, so table columns stay narrow; empty
   * for null and as given when it does not parse.
   */
  static String time(String iso) {
    if (iso == null || iso.isEmpty()) {
      return "";
    }
    try {
      return OffsetDateTime.parse(iso)
          .withOffsetSameInstant(ZoneOffset.UTC)
          .truncatedTo(ChronoUnit.SECONDS)
          .toInstant()
          .toString();
    } catch (DateTimeParseException e) {
      return iso;
    }
  }

  /** Whether the server's time {@code iso} lies in the past. */
  static boolean past(String iso) {
    try {
      return iso != null && OffsetDateTime.parse(iso).toInstant().isBefore(Instant.now());
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
