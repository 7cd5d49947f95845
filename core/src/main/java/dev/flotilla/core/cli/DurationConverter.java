package dev.flotilla.core.cli;

import dev.flotilla.core.time.Durations;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Reads every {@link Duration} flag with {@link Durations}, so that {@code 3m} and {@code PT3M}
 * both work; picocli's own converter knows ISO-8601 only. The agent and the {@code flotilla}
 * command line both register it.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  /** Registers the converter on {@code commandLine} and the subcommands it already has. */
  public static CommandLine registerOn(CommandLine commandLine) {
    return commandLine.registerConverter(Duration.class, new DurationConverter());
  }

  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      // picocli prints this message after the option's name.
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
