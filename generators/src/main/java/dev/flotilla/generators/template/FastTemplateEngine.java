package dev.flotilla.generators.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Argo CD's default templating: {@code {{name}}} is replaced by the string parameter {@code name}
 * (spaces inside the braces are ignored); an unknown name leaves the tag as written, so that a typo
 * shows up in the output rather than silently vanishing.
 */
public final class FastTemplateEngine implements TemplateEngine {

  public static final FastTemplateEngine INSTANCE = new FastTemplateEngine();

  private static final String START = "{{";
  private static final String END = "}}";

  @Override
  public StringTemplate compile(String text) throws TemplateException {
    if (!looksTemplated(text)) {
      return new Literal(text);
    }
    List<String> literals = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    int position = 0;
    while (true) {
      int start = text.indexOf(START, position);
      if (start < 0) {
        literals.add(text.substring(position));
        break;
      }
      int end = text.indexOf(END, start + START.length());
      if (end < 0) {
        throw new TemplateException(
            "invalid template " + quote(text) + ": cannot find '}}' after '{{' at " + start);
      }
      literals.add(text.substring(position, start));
      tags.add(text.substring(start + START.length(), end));
      position = end + END.length();
    }
    return new Tags(literals.toArray(String[]::new), tags.toArray(String[]::new));
  }

  @Override
  public boolean nestedParams() {
    return false;
  }

  /**
   * Argo only templates a string when some single line holds "{{" followed later by "}}"; other
   * strings, including ones with a lone "{{", pass through untouched.
   */
  static boolean looksTemplated(String text) {
    int start = text.indexOf(START);
    while (start >= 0) {
      int lineEnd = text.indexOf('\n', start);
      int end = text.indexOf(END, start + START.length());
      if (end >= 0 && (lineEnd < 0 || end < lineEnd)) {
        return true;
      }
      start = text.indexOf(START, start + 1);
    }
    return false;
  }

  private static String quote(String text) {
    return '"' + text + '"';
  }

  private record Literal(String text) implements StringTemplate {
    @Override
    public String render(Map<String, Object> params) {
      return text;
    }

    @Override
    public boolean isLiteral() {
      return true;
    }
  }

  private record Tags(String[] literals, String[] tags) implements StringTemplate {
    @Override
    public String render(Map<String, Object> params) {
      if (tags.length == 1 && literals[0].isEmpty() && literals[1].isEmpty()) {
        // A field that is exactly one tag shares the parameter's string instead of copying it.
        Object value = params.get(tags[0].strip());
        if (value instanceof String replacement && !tags[0].isBlank()) {
          return replacement;
        }
      }
      StringBuilder out = new StringBuilder(64);
      for (int i = 0; i < tags.length; i++) {
        out.append(literals[i]);
        String tag = tags[i];
        String name = tag.strip();
        Object value = name.isEmpty() ? null : params.get(name);
        if (value instanceof String replacement) {
          out.append(replacement);
        } else {
          out.append(START).append(tag).append(END);
        }
      }
      out.append(literals[tags.length]);
      return out.toString();
    }

    @Override
    public boolean isLiteral() {
      return false;
    }
  }
}
