package dev.flotilla.agent.reconcile.render;

import java.util.regex.Pattern;

/**
 * Argo CD's {@code directory.include}/{@code exclude} globs: {@code *}, {@code ?}, {@code [...]}
 * and {@code {a,b}} alternatives, matched against the file's path relative to the Application's
 * directory. As in Argo (gobwas/glob compiled without separators), {@code *} also matches {@code
 * /}.
 */
public final class Glob {

  private final Pattern pattern;

  private Glob(Pattern pattern) {
    this.pattern = pattern;
  }

  /** Compiles a glob; an empty glob yields null (no filter). */
  public static Glob compile(String glob) {
    if (glob == null || glob.isBlank()) {
      return null;
    }
    return new Glob(Pattern.compile(toRegex(glob.trim())));
  }

  public boolean matches(String relativePath) {
    return pattern.matcher(relativePath).matches();
  }

  static String toRegex(String glob) {
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
    return re.toString();
  }
}
