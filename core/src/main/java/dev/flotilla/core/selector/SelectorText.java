package dev.flotilla.core.selector;

import dev.flotilla.core.selector.LabelSelector.Operator;
import dev.flotilla.core.selector.LabelSelector.Requirement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The string form, as {@code kubectl -l} takes it. */
final class SelectorText {

  private static final Pattern KEY =
      Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
  private static final Pattern SET =
      Pattern.compile("(?<key>[^\\s(),]+)\\s+(?<op>in|notin)\\s*\\((?<values>[^()]*)\\)");

  private SelectorText() {}

  static LabelSelector parse(String text) {
    if (text == null || text.isBlank()) {
      return LabelSelector.EVERYTHING;
    }
    List<Requirement> list = new ArrayList<>();
    for (String raw : split(text)) {
      String part = raw.strip();
      Requirement r = requirement(part);
      if (r == null
          || !KEY.matcher(r.key()).matches()
          || !r.values().stream().allMatch(v -> VALUE.matcher(v).matches())) {
        throw new LabelSelectorException(
            part,
            "'"
                + part
                + "' is not a label requirement (use key=value, key!=value, key in (a,b),"
                + " key notin (a,b), key or !key)");
      }
      list.add(r);
    }
    return new LabelSelector(list);
  }

  /** Null when the text has no requirement's shape. */
  private static Requirement requirement(String part) {
    Matcher set = SET.matcher(part);
    if (set.matches()) {
      if (set.group("values").isBlank()) {
        return null;
      }
      List<String> values = new ArrayList<>();
      for (String value : set.group("values").split(",", -1)) {
        values.add(value.strip());
      }
      Operator op = set.group("op").equals("in") ? Operator.IN : Operator.NOT_IN;
      return new Requirement(set.group("key"), op, values);
    }
    if (part.indexOf('(') >= 0 || part.indexOf(')') >= 0) {
      return null;
    }
    int ne = part.indexOf("!=");
    int eq = part.indexOf('=');
    if (ne > 0) {
      return new Requirement(
          part.substring(0, ne).strip(), Operator.NOT_IN, List.of(rest(part, ne + 2)));
    }
    if (eq > 0) {
      int from = part.startsWith("==", eq) ? eq + 2 : eq + 1;
      return new Requirement(part.substring(0, eq).strip(), Operator.IN, List.of(rest(part, from)));
    }
    if (part.startsWith("!")) {
      return new Requirement(part.substring(1).strip(), Operator.DOES_NOT_EXIST, List.of());
    }
    return new Requirement(part, Operator.EXISTS, List.of());
  }

  /** Splits at the commas that separate requirements, not those inside {@code in (a,b)}. */
  private static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth = Math.max(0, depth - 1);
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(from, i));
        from = i + 1;
      }
    }
    parts.add(text.substring(from));
    return parts;
  }

  private static String rest(String part, int from) {
    return part.substring(from).strip();
  }
}
