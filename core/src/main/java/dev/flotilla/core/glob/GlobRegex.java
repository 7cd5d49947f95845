package dev.flotilla.core.glob;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Translations of each {@link Glob.Mode}'s dialect to a Java regular expression. */
final class GlobRegex {

  private GlobRegex() {}

  /** {@link Glob.Mode#PATH_SEGMENT} and {@link Glob.Mode#PATH_GREEDY}; refuses malformed ones. */
  static Pattern path(String glob, String star, String question) {
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
          regex.append(pathClass(glob.substring(i + 1, end)));
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

  private static String pathClass(String body) {
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
      // A negated class never matches the separator, as in Go.
      cls.append('/');
    }
    return cls.append(']').toString();
  }

  /**
   * {@link Glob.Mode#PROJECT} ({@code separator} null) and {@link Glob.Mode#PROJECT_REPO}; null
   * when the pattern does not compile, so that it is compared literally as Argo does.
   */
  static Pattern project(String glob, Character separator) {
    String notSeparator =
        separator == null ? "." : "[^" + Pattern.quote(String.valueOf(separator)) + "]";
    StringBuilder regex = new StringBuilder();
    int braces = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            regex.append(".*");
            i++;
          } else {
            regex.append(notSeparator).append('*');
          }
        }
        case '?' -> regex.append(notSeparator);
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            return null;
          }
          String body = glob.substring(i + 1, end);
          regex.append('[');
          if (body.startsWith("!") || body.startsWith("^")) {
            regex.append('^');
            body = body.substring(1);
          }
          regex.append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
          i = end;
        }
        case '{' -> {
          braces++;
          regex.append("(?:");
        }
        case '}' -> {
          if (braces == 0) {
            return null;
          }
          braces--;
          regex.append(')');
        }
        case ',' -> regex.append(braces > 0 ? "|" : ",");
        case '\\' -> {
          if (i + 1 < glob.length()) {
            regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (braces != 0) {
      return null;
    }
    try {
      return Pattern.compile(regex.toString());
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@link Glob.Mode#RENDER_FILE}; a class Java cannot compile is refused. */
  static Pattern renderFile(String glob) {
    StringBuilder re = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        case '{' -> {
          depth++;
          re.append("(?:");
        }
        case '}' -> {
          if (depth > 0) {
            depth--;
            re.append(')');
          } else {
            re.append("\\}");
          }
        }
        case ',' -> re.append(depth > 0 ? "|" : ",");
        case '[' -> {
          int close = glob.indexOf(']', i + 1);
          if (close < 0) {
            re.append("\\[");
          } else {
            String cls = glob.substring(i + 1, close);
            if (cls.startsWith("!")) {
              cls = "^" + cls.substring(1);
            }
            re.append('[').append(cls.replace("\\", "\\\\")).append(']');
            i = close;
          }
        }
        case '\\' -> {
          if (i + 1 < glob.length()) {
            re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
          }
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    while (depth-- > 0) {
      re.append(')');
    }
    return Pattern.compile(re.toString());
  }
}
