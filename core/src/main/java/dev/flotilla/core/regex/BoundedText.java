package dev.flotilla.core.regex;

import java.util.regex.Pattern;

/**
 * Text for Java regular expressions with a budget of character reads. Java's engine backtracks
 * where Go's RE2 (which Argo CD uses) is linear, so a hostile pattern — in a template function, a
 * Git path glob or an AppProject glob — could otherwise stall the controller; past the budget the
 * match fails with {@link RegexBudgetExceededException}.
 */
public final class BoundedText implements CharSequence {

  /** Far above what any real match over names, paths or template values needs. */
  public static final int DEFAULT_BUDGET = 5_000_000;

  private final String text;
  private final int start;
  private final int end;
  private final int[] budget;

  private BoundedText(String text, int start, int end, int[] budget) {
    this.text = text;
    this.start = start;
    this.end = end;
    this.budget = budget;
  }

  public static BoundedText of(String text) {
    return new BoundedText(text, 0, text.length(), new int[] {DEFAULT_BUDGET});
  }

  /** {@code pattern} matches the whole of {@code text}, within the budget. */
  public static boolean matches(Pattern pattern, String text) {
    return pattern.matcher(of(text)).matches();
  }

  @Override
  public int length() {
    return end - start;
  }

  @Override
  public char charAt(int index) {
    if (--budget[0] < 0) {
      throw new RegexBudgetExceededException(
          "pattern too expensive on this input (more than " + DEFAULT_BUDGET + " steps)");
    }
    return text.charAt(start + index);
  }

  @Override
  public CharSequence subSequence(int from, int to) {
    return new BoundedText(text, start + from, start + to, budget);
  }

  @Override
  public String toString() {
    return text.substring(start, end);
  }
}
