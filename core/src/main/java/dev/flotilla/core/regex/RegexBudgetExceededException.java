package dev.flotilla.core.regex;

/** A regular expression needed more work than its budget allows on some input. */
public class RegexBudgetExceededException extends RuntimeException {
  public RegexBudgetExceededException(String message) {
    super(message);
  }
}
