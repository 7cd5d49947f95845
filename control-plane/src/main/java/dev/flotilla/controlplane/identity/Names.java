package dev.flotilla.controlplane.identity;

/**
 * Checks on names and free text before they reach Postgres. Values are stored verbatim or refused,
 * never altered. Quotes, semicolons and SQL keywords are fine (every query is prepared); what is
 * refused is what would break a policy line or Postgres itself.
 */
final class Names {

  static final int MAX_NAME = 253;
  static final int MAX_TEXT = 1024;

  private Names() {}

  /**
   * A user or team name as policy lines use it: no comma or double quote (they would split or quote
   * a CSV field), no control characters, no surrounding blanks, and no {@code role:} or {@code
   * proj:} prefix (which would make the name a role).
   */
  static String requireName(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(field + ": is empty");
    }
    if (value.length() > MAX_NAME) {
      throw new IllegalArgumentException(field + ": longer than " + MAX_NAME + " characters");
    }
    if (!value.equals(value.strip())) {
      throw new IllegalArgumentException(field + ": starts or ends with a blank");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + ": contains a control character");
    }
    if (value.indexOf(',') >= 0 || value.indexOf('"') >= 0) {
      throw new IllegalArgumentException(field + ": may not contain ',' or '\"'");
    }
    if (value.startsWith("role:") || value.startsWith("proj:")) {
      throw new IllegalArgumentException(field + ": may not start with 'role:' or 'proj:'");
    }
    return value;
  }

  /** Free text: anything Postgres can store (no NUL), bounded. */
  static String requireText(String field, String value) {
    if (value == null) {
      return "";
    }
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(field + ": longer than " + MAX_TEXT + " characters");
    }
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(field + ": contains a NUL character");
    }
    return value;
  }
}
