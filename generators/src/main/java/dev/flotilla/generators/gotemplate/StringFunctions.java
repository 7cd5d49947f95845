package dev.flotilla.generators.gotemplate;

import static dev.flotilla.generators.gotemplate.GoValues.goQuote;
import static dev.flotilla.generators.gotemplate.GoValues.string;
import static dev.flotilla.generators.gotemplate.GoValues.strslice;
import static dev.flotilla.generators.gotemplate.GoValues.strval;
import static dev.flotilla.generators.gotemplate.GoValues.toLong;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Sprig's string and path functions (Sprig's strings.go and path functions). */
final class StringFunctions {

  private StringFunctions() {}

  static void register(FunctionTable t) {
    t.fixed("lower", 1, a -> string(a, 0).toLowerCase(Locale.ROOT));
    t.fixed("upper", 1, a -> string(a, 0).toUpperCase(Locale.ROOT));
    t.fixed("title", 1, a -> title(string(a, 0)));
    t.fixed(
        "untitle",
        1,
        a -> {
          String s = string(a, 0);
          StringBuilder out = new StringBuilder();
          boolean start = true;
          for (char c : s.toCharArray()) {
            out.append(start ? Character.toLowerCase(c) : c);
            start = Character.isWhitespace(c);
          }
          return out.toString();
        });
    t.fixed("trim", 1, a -> string(a, 0).strip());
    t.fixed("trimAll", 2, a -> trimChars(string(a, 1), string(a, 0)));
    t.fixed(
        "trimPrefix",
        2,
        a -> {
          String s = string(a, 1);
          String prefix = string(a, 0);
          return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
        });
    t.fixed(
        "trimSuffix",
        2,
        a -> {
          String s = string(a, 1);
          String suffix = string(a, 0);
          return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
        });
    t.fixed(
        "trunc",
        2,
        a -> {
          long n = toLong(a.get(0));
          String s = string(a, 1);
          if (n < 0) {
            return -n < s.length() ? s.substring(s.length() + (int) n) : s;
          }
          return n < s.length() ? s.substring(0, (int) n) : s;
        });
    t.fixed(
        "abbrev",
        2,
        a -> {
          long width = toLong(a.get(0));
          String s = string(a, 1);
          if (width < 4 || s.length() <= width) {
            return s;
          }
          return s.substring(0, (int) width - 3) + "...";
        });
    t.fixed("replace", 3, a -> string(a, 2).replace(string(a, 0), string(a, 1)));
    t.fixed("repeat", 2, a -> string(a, 1).repeat((int) Math.min(toLong(a.get(0)), 100_000)));
    t.fixed(
        "substr",
        3,
        a -> {
          String s = string(a, 2);
          int start = (int) toLong(a.get(0));
          int end = (int) toLong(a.get(1));
          if (start < 0) {
            return s.substring(0, Math.min(Math.max(end, 0), s.length()));
          }
          if (end < 0 || end > s.length()) {
            return start > s.length() ? "" : s.substring(start);
          }
          return start > end ? "" : s.substring(start, end);
        });
    t.fixed("nospace", 1, a -> string(a, 0).replaceAll("\\s", ""));
    t.fixed("contains", 2, a -> string(a, 1).contains(string(a, 0)));
    t.fixed("hasPrefix", 2, a -> string(a, 1).startsWith(string(a, 0)));
    t.fixed("hasSuffix", 2, a -> string(a, 1).endsWith(string(a, 0)));
    t.def("quote", a -> joinNonNil(a, x -> goQuote(strval(x))));
    t.def("squote", a -> joinNonNil(a, x -> "'" + strval(x) + "'"));
    t.def("cat", a -> joinNonNil(a, GoValues::strval));
    t.fixed("indent", 2, a -> indent((int) toLong(a.get(0)), string(a, 1)));
    t.fixed("nindent", 2, a -> "\n" + indent((int) toLong(a.get(0)), string(a, 1)));
    t.fixed("snakecase", 1, a -> words(string(a, 0), "_", false));
    t.fixed("kebabcase", 1, a -> words(string(a, 0), "-", false));
    t.fixed(
        "camelcase",
        1,
        a -> {
          StringBuilder out = new StringBuilder();
          for (String part : string(a, 0).split("[_\\s-]+")) {
            if (!part.isEmpty()) {
              out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
          }
          return out.toString();
        });
    t.fixed(
        "swapcase",
        1,
        a -> {
          StringBuilder out = new StringBuilder();
          for (char c : string(a, 0).toCharArray()) {
            out.append(
                Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
          }
          return out.toString();
        });
    t.fixed(
        "initials",
        1,
        a -> {
          StringBuilder out = new StringBuilder();
          for (String word : string(a, 0).strip().split("\\s+")) {
            if (!word.isEmpty()) {
              out.append(word.charAt(0));
            }
          }
          return out.toString();
        });
    t.fixed("plural", 3, a -> toLong(a.get(2)) == 1 ? string(a, 0) : string(a, 1));
    t.fixed(
        "split",
        2,
        a -> {
          String[] parts = string(a, 1).split(Pattern.quote(string(a, 0)), -1);
          Map<String, Object> out = new LinkedHashMap<>();
          for (int i = 0; i < parts.length; i++) {
            out.put("_" + i, parts[i]);
          }
          return out;
        });
    t.fixed(
        "splitList",
        2,
        a -> {
          String sep = string(a, 0);
          String s = string(a, 1);
          List<Object> out = new ArrayList<>();
          if (sep.isEmpty()) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
          }
          for (String part : s.split(Pattern.quote(sep), -1)) {
            out.add(part);
          }
          return out;
        });
    t.fixed(
        "splitn",
        3,
        a -> {
          String[] parts = string(a, 2).split(Pattern.quote(string(a, 0)), (int) toLong(a.get(1)));
          Map<String, Object> out = new LinkedHashMap<>();
          for (int i = 0; i < parts.length; i++) {
            out.put("_" + i, parts[i]);
          }
          return out;
        });
    t.fixed(
        "join",
        2,
        a -> {
          List<String> parts = new ArrayList<>();
          for (Object item : strslice(a.get(1))) {
            parts.add(strval(item));
          }
          return String.join(string(a, 0), parts);
        });
    t.fixed(
        "sortAlpha",
        1,
        a -> {
          List<String> parts = new ArrayList<>();
          for (Object item : strslice(a.get(0))) {
            parts.add(strval(item));
          }
          parts.sort(null);
          return new ArrayList<Object>(parts);
        });
    t.fixed("toString", 1, a -> strval(a.get(0)));
    t.fixed(
        "toStrings",
        1,
        a -> {
          List<Object> out = new ArrayList<>();
          for (Object item : strslice(a.get(0))) {
            out.add(strval(item));
          }
          return out;
        });
    t.fixed("base", 1, a -> goBase(string(a, 0)));
    t.fixed(
        "dir",
        1,
        a -> {
          String s = string(a, 0);
          int slash = s.lastIndexOf('/');
          return slash < 0 ? "." : slash == 0 ? "/" : s.substring(0, slash);
        });
    t.fixed(
        "ext",
        1,
        a -> {
          String s = string(a, 0);
          int dot = s.lastIndexOf('.');
          return dot < 0 || s.indexOf('/', dot) >= 0 ? "" : s.substring(dot);
        });
    t.fixed("clean", 1, a -> cleanPath(string(a, 0)));
    t.fixed("isAbs", 1, a -> string(a, 0).startsWith("/"));
  }

  interface Stringer {
    String apply(Object value);
  }

  static String joinNonNil(List<Object> args, Stringer stringer) {
    List<String> out = new ArrayList<>();
    for (Object arg : args) {
      if (arg != null) {
        out.add(stringer.apply(arg));
      }
    }
    return String.join(" ", out);
  }

  static String indent(int spaces, String text) {
    String pad = " ".repeat(Math.max(0, spaces));
    return pad + text.replace("\n", "\n" + pad);
  }

  static String title(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.toCharArray()) {
      out.append(start ? Character.toTitleCase(c) : c);
      start = !Character.isLetterOrDigit(c) && c != '_' && c != '\'';
    }
    return out.toString();
  }

  static String trimChars(String s, String cutset) {
    int start = 0;
    int end = s.length();
    while (start < end && cutset.indexOf(s.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && cutset.indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(start, end);
  }

  static String words(String s, String separator, boolean upper) {
    String spaced =
        s.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z]+)([A-Z][a-z])", "$1 $2");
    StringBuilder out = new StringBuilder();
    for (String word : spaced.split("[\\s_\\-.]+")) {
      if (word.isEmpty()) {
        continue;
      }
      if (out.length() > 0) {
        out.append(separator);
      }
      out.append(upper ? word.toUpperCase(Locale.ROOT) : word.toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  static String goBase(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    String trimmed = path;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    int slash = trimmed.lastIndexOf('/');
    return slash < 0 || trimmed.equals("/") ? trimmed : trimmed.substring(slash + 1);
  }

  static String cleanPath(String path) {
    boolean rooted = path.startsWith("/");
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..") && !parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
        parts.remove(parts.size() - 1);
      } else if (!(part.equals("..") && rooted)) {
        parts.add(part);
      }
    }
    String joined = String.join("/", parts);
    return rooted ? "/" + joined : joined.isEmpty() ? "." : joined;
  }
}
