package dev.flotilla.core.selector;

/**
 * A label selector that cannot be read. {@link #where()} names the offending part (a field path of
 * a structured selector, or the requirement text of a string one) so callers can prefix it the way
 * their users address input; the message alone says what is wrong.
 */
public final class LabelSelectorException extends IllegalArgumentException {

  private final String where;

  public LabelSelectorException(String where, String message) {
    super(message);
    this.where = where;
  }

  public String where() {
    return where;
  }
}
