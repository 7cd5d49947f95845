package dev.flotilla.generators.generator;

import dev.flotilla.core.regex.BoundedText;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Path patterns as Argo CD's git generators match them.
 *
 * <ul>
 *   <li>{@link #segment}: Go's {@code path.Match}, used for directories: {@code *} and {@code ?}
 *       never cross a {@code /}.
 *   <li>{@link #greedy}: git pathspec matching, Argo's default for files: {@code *} also matches
 *       {@code /}, so {@code apps/*.yaml} finds YAML files at any depth below {@code apps}.
 * </ul>
 *
 * Both support {@code [abc]}, {@code [a-z]}, {@code [^abc]} and {@code \} escapes.
 */
public final class Glob {

  private final Pattern pattern;
  private final String text;

  private Glob(String text, Pattern pattern) {
    this.text = text;
    this.pattern = pattern;
  }

  public static Glob segment(String glob) throws IllegalArgumentException {
    return new Glob(glob, compile(glob, "[^/]*", "[^/]"));
  }

  public static Glob greedy(String glob) throws IllegalArgumentException {
    return new Glob(glob, compile(glob, ".*", "."));
  }

  /**
   * @throws dev.flotilla.core.regex.RegexBudgetExceededException for a pattern that would take too
   *     long on this path
   */
  public boolean matches(String path) {
    return BoundedText.matches(pattern, path);
  }

  @Override
  public String toString() {
    return text;
  }

  private static Pattern compile(String glob, String star, String question) {
    StringBuilder regex = new StringBuilder(glob.length() * 2);
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          // Runs of stars mean the same as one and would only add backtracking.
          while (i < glob.length() && glob.charAt(i) == '*') {
            i++;
          }
          regex.append(star);
        }
        case '?' -> {
          regex.append(question);
          i++;
        }
        case '\\' -> {
          if (i + 1 >= glob.length()) {
            throw new IllegalArgumentException("pattern ends with a lone '\\'");
          }
          regex.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
          i += 2;
        }
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("unterminated '[' in pattern");
          }
          String body = glob.substring(i + 1, end);
          boolean negated = body.startsWith("^") || body.startsWith("!");
          if (negated) {
            body = body.substring(1);
          }
          StringBuilder cls = new StringBuilder("[");
          if (negated) {
            cls.append('^');
          }
          for (int j = 0; j < body.length(); j++) {
            char b = body.charAt(j);
            if (b == '-' && j > 0 && j < body.length() - 1) {
              cls.append('-');
            } else if (Character.isLetterOrDigit(b)) {
              cls.append(b);
            } else {
              cls.append('\\').append(b);
            }
          }
          if (negated) {
            cls.append('/');
          }
          cls.append(']');
          regex.append(cls);
          i = end + 1;
        }
        default -> {
          regex.append(Pattern.quote(String.valueOf(c)));
          i++;
        }
      }
    }
    try {
      return Pattern.compile(regex.toString());
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("bad pattern: " + e.getDescription());
    }
  }
}
