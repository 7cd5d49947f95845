package dev.flotilla.cli;

/** A failure to report to the user in one line, with what to do next; exit code 1. */
final class CliException extends Exception {
  CliException(String message) {
    super(message);
  }
}
