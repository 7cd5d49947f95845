package dev.flotilla.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code -o, --output table|json|yaml} for every command that prints objects from the API: a table
 * (or summary) for people by default, the API's own JSON as JSON or YAML for scripts. Mixed in with
 * {@code @Mixin OutputOption.Standard output;} and used as {@code output.print(json, () ->
 * table...)}.
 */
abstract class OutputOption {

  /** Prints the human-readable form. */
  @FunctionalInterface
  interface Human {
    void print() throws CliException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .stringQuotingChecker(new NumberLikeQuoting())
              .build());

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  private String format = "table";

  /** The formats this command accepts, in the order help and errors list them. */
  abstract List<String> formats();

  void set(String value) {
    String f = value.toLowerCase(Locale.ROOT);
    if (!formats().contains(f)) {
      throw new ParameterException(
          command.commandLine(),
          "Invalid value for option '--output': expected one of "
              + formats()
              + " but was '"
              + value
              + "'");
    }
    format = f;
  }

  String format() {
    return format;
  }

  boolean is(String f) {
    return format.equals(f);
  }

  /** {@code object} as JSON or YAML, or {@code human} for a table. */
  void print(JsonObject object, Human human) throws CliException {
    switch (format) {
      case "json" -> System.out.println(object.encodePrettily());
      case "yaml" -> System.out.print(yaml(object));
      default -> human.print();
    }
  }

  static String yaml(JsonObject object) {
    try {
      return YAML.writeValueAsString(JSON.readTree(object.encode()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML: " + e.getMessage(), e);
    }
  }

  /**
   * Quotes every string a YAML reader might take for a number: commit SHAs such as {@code 1234567}
   * or {@code 12e4567} must stay strings when read back.
   */
  private static final class NumberLikeQuoting extends StringQuotingChecker.Default {
    @Override
    public boolean needToQuoteValue(String value) {
      if (super.needToQuoteValue(value)) {
        return true;
      }
      char first = value.isEmpty() ? 'x' : value.charAt(0);
      return Character.isDigit(first)
          || (value.length() > 1 && (first == '+' || first == '-' || first == '.'));
    }
  }

  /** {@code table}, {@code json} or {@code yaml}. */
  static final class Standard extends OutputOption {
    @Override
    List<String> formats() {
      return List.of("table", "json", "yaml");
    }

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "table",
        description = "table, json or yaml. Default: ${DEFAULT-VALUE}.")
    void setFormat(String value) {
      set(value);
    }
  }

  /** With {@code wide} as well: the table with more columns, for lists that have them. */
  static final class WithWide extends OutputOption {
    @Override
    List<String> formats() {
      return List.of("table", "wide", "json", "yaml");
    }

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "table",
        description = "table, wide (more columns), json or yaml. Default: ${DEFAULT-VALUE}.")
    void setFormat(String value) {
      set(value);
    }
  }

  /**
   * For commands whose output is documents (generated Applications): YAML by default, JSON, or a
   * table for people ({@code wide}, as Argo CD's {@code appset generate}).
   */
  static final class Documents extends OutputOption {
    @Override
    List<String> formats() {
      return List.of("yaml", "json", "wide");
    }

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "yaml",
        description = "yaml, json or wide (a table). Default: ${DEFAULT-VALUE}.")
    void setFormat(String value) {
      set(value);
    }
  }

  /** The same with {@code csv} as well, for reports that are rows by nature. */
  static final class WithCsv extends OutputOption {
    @Override
    List<String> formats() {
      return List.of("table", "json", "yaml", "csv");
    }

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        defaultValue = "table",
        description = "table, json, yaml or csv. Default: ${DEFAULT-VALUE}.")
    void setFormat(String value) {
      set(value);
    }
  }
}
