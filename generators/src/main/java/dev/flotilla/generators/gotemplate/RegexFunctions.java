package dev.flotilla.generators.gotemplate;

import static dev.flotilla.generators.gotemplate.GoValues.string;
import static dev.flotilla.generators.gotemplate.GoValues.toLong;

import dev.flotilla.core.regex.BoundedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Sprig's regular-expression functions, with Go's replacement syntax and a bounded input. */
final class RegexFunctions {

  private RegexFunctions() {}

  static void register(FunctionTable t) {
    t.fixed("regexMatch", 2, a -> regex(string(a, 0)).matcher(bounded(string(a, 1))).find());
    t.fixed(
        "regexFind",
        2,
        a -> {
          Matcher m = regex(string(a, 0)).matcher(bounded(string(a, 1)));
          return m.find() ? m.group() : "";
        });
    t.fixed(
        "regexFindAll",
        3,
        a -> {
          Matcher m = regex(string(a, 0)).matcher(bounded(string(a, 1)));
          long n = toLong(a.get(2));
          List<Object> out = new ArrayList<>();
          while (m.find() && (n < 0 || out.size() < n)) {
            out.add(m.group());
          }
          return out;
        });
    t.fixed(
        "regexReplaceAll",
        3,
        a ->
            regex(string(a, 0))
                .matcher(bounded(string(a, 1)))
                .replaceAll(goReplacement(string(a, 2))));
    t.fixed(
        "regexReplaceAllLiteral",
        3,
        a ->
            regex(string(a, 0))
                .matcher(string(a, 1))
                .replaceAll(Matcher.quoteReplacement(string(a, 2))));
    t.fixed(
        "regexSplit",
        3,
        a -> {
          long n = toLong(a.get(2));
          String[] parts = regex(string(a, 0)).split(bounded(string(a, 1)), n < 0 ? -1 : (int) n);
          return new ArrayList<Object>(List.of(parts));
        });
    t.fixed(
        "regexQuoteMeta", 1, a -> string(a, 0).replaceAll("([\\\\.+*?()|\\[\\]{}^$])", "\\\\$1"));
  }

  static final Map<String, Pattern> REGEX_CACHE = new java.util.concurrent.ConcurrentHashMap<>();

  static Pattern regex(String expression) throws GoTemplateException {
    Pattern cached = REGEX_CACHE.get(expression);
    if (cached != null) {
      return cached;
    }
    try {
      Pattern pattern = Pattern.compile(expression);
      if (REGEX_CACHE.size() < 1000) {
        REGEX_CACHE.put(expression, pattern);
      }
      return pattern;
    } catch (PatternSyntaxException e) {
      throw new GoTemplateException(
          "error parsing regexp: " + e.getDescription() + ": `" + expression + "`");
    }
  }

  static CharSequence bounded(String text) {
    return BoundedText.of(text);
  }

  /** Go's $1 / ${1} / ${name} expansion written for Java's Matcher. */
  static String goReplacement(String replacement) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < replacement.length(); i++) {
      char c = replacement.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '$' && i + 1 < replacement.length() && replacement.charAt(i + 1) == '{') {
        int close = replacement.indexOf('}', i);
        String name = close < 0 ? "" : replacement.substring(i + 2, close);
        if (name.chars().allMatch(Character::isDigit) && !name.isEmpty()) {
          out.append('$').append(name);
        } else {
          out.append("${").append(name).append('}');
        }
        i = close < 0 ? replacement.length() : close;
      } else if (c == '$'
          && i + 1 < replacement.length()
          && Character.isDigit(replacement.charAt(i + 1))) {
        out.append('$');
      } else if (c == '$') {
        out.append("\\$");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
