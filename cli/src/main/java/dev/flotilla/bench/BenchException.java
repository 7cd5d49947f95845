package dev.flotilla.bench;

/** The bench cannot go on; the message says why, for the user. */
final class BenchException extends RuntimeException {
  BenchException(String message) {
    super(message);
  }
}
