package dev.flotilla.cli;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Option;

/**
 * {@code -o table|json|yaml} for the users, teams, tokens and audit commands: a table for people,
 * or the server's answer as it came, as JSON or YAML (written as {@link OutputOption} writes it).
 */
final class AccountOutput {

  enum Format {
    table,
    json,
    yaml
  }

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table (default), json or yaml (the server's answer).")
  Format format = Format.table;

  /** Prints {@code response} as JSON or YAML and answers true when one of them was asked for. */
  boolean printedData(JsonObject response) {
    switch (format) {
      case json -> System.out.println(response.encodePrettily());
      case yaml -> System.out.print(OutputOption.yaml(response));
      default -> {
        return false;
      }
    }
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
