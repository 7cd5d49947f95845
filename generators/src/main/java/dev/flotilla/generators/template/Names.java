package dev.flotilla.generators.template;

import java.util.Locale;

/** Argo CD's name normalisation rules, shared by generator params and template functions. */
public final class Names {

  /** Longest DNS subdomain name (RFC 1123), Kubernetes' limit for object names. */
  public static final int MAX_DNS_NAME_LENGTH = 253;

  private Names() {}

  /**
   * Argo's {@code normalize}: lower-case, every character outside {@code [-a-z0-9.]} becomes {@code
   * -}, cut to 253 characters, then leading and trailing {@code -} and {@code .} removed.
   */
  public static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder(lower.length());
    lower
        .codePoints()
        .forEach(
            c -> {
              boolean valid =
                  (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
              if (valid) {
                out.append((char) c);
              } else {
                // Go's regexp replaces per rune; its length cut counts bytes, handled below.
                out.append('-');
              }
            });
    String result =
        out.length() > MAX_DNS_NAME_LENGTH ? out.substring(0, MAX_DNS_NAME_LENGTH) : out.toString();
    return trim(result, "-.");
  }

  /**
   * Argo's {@code slugify [maxLength] [smartTruncate] name}: normalise, then make a URL slug (dots
   * and other separators become single dashes), at most {@code maxLength} long; smart truncation
   * cuts at the last dash that fits rather than inside a word.
   */
  public static String slugify(String name, int maxLength, boolean smartTruncate) {
    String normalized = normalize(name);
    StringBuilder out = new StringBuilder(normalized.length());
    boolean dash = false;
    for (int i = 0; i < normalized.length(); i++) {
      char c = normalized.charAt(i);
      boolean keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      if (keep) {
        out.append(c);
        dash = false;
      } else if (!dash) {
        out.append('-');
        dash = true;
      }
    }
    String slug = trim(out.toString(), "-_");
    if (maxLength > 0 && slug.length() > maxLength) {
      if (smartTruncate) {
        int cut = -1;
        for (int i = maxLength; i >= 0; i--) {
          if (slug.charAt(i) == '-') {
            cut = i;
            break;
          }
        }
        slug = cut >= 0 ? slug.substring(0, cut) : slug.substring(0, maxLength);
      } else {
        slug = slug.substring(0, maxLength);
      }
    }
    return slug;
  }

  static String trim(String text, String chars) {
    int start = 0;
    int end = text.length();
    while (start < end && chars.indexOf(text.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && chars.indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    return text.substring(start, end);
  }
}
