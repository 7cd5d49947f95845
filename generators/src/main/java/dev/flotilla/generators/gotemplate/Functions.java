package dev.flotilla.generators.gotemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.flotilla.core.digest.Digests;
import dev.flotilla.core.regex.BoundedText;
import dev.flotilla.core.yaml.BoundedYaml;
import dev.flotilla.core.yaml.YamlException;
import dev.flotilla.generators.template.Names;
import dev.flotilla.generators.template.Values;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Go's template builtins and the Sprig functions Argo CD allows (everything but {@code env}, {@code
 * expandenv} and {@code getHostByName}, which would leak the controller's environment), plus Argo's
 * {@code normalize}, {@code slugify}, {@code toYaml}, {@code fromYaml}, {@code fromYamlArray}.
 * Functions that read the clock or randomness are left out: generated Applications must be
 * reproducible.
 */
final class Functions {

  interface Fn {
    Object apply(List<Object> args) throws GoTemplateException;
  }

  interface TemplateCall {
    String call(String text, Object data) throws GoTemplateException;
  }

  static final Functions INSTANCE = new Functions();

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());
  private static final BoundedYaml FROM_YAML = new BoundedYaml(1024 * 1024);

  private final Map<String, Fn> functions = new HashMap<>();

  private Functions() {
    builtins();
    strings();
    numbers();
    collections();
    encodings();
    argo();
    // Sprig's must* variants return an error instead of a zero value; ours always do.
    for (String name :
        List.of(
            "regexMatch",
            "regexFind",
            "regexFindAll",
            "regexReplaceAll",
            "regexReplaceAllLiteral",
            "regexSplit",
            "append",
            "push",
            "prepend",
            "first",
            "last",
            "rest",
            "initial",
            "reverse",
            "uniq",
            "without",
            "has",
            "compact",
            "slice",
            "deepCopy",
            "merge",
            "mergeOverwrite",
            "fromJson",
            "toRawJson",
            "toYaml",
            "fromYaml")) {
      functions.putIfAbsent(
          "must" + Character.toUpperCase(name.charAt(0)) + name.substring(1), functions.get(name));
    }
    functions.put("trimall", functions.get("trimAll"));
    functions.put("biggest", functions.get("max"));
  }

  Set<String> names() {
    return functions.keySet();
  }

  Object call(String name, List<Object> args, TemplateCall templates) throws GoTemplateException {
    if (name.equals("tpl")) {
      // tpl renders a string as a template with the same functions and options (Argo CD, Helm).
      if (args.size() != 2) {
        throw new GoTemplateException("wrong number of args for tpl: want 2 got " + args.size());
      }
      return templates.call(string(args, 0), args.get(1));
    }
    Fn fn = functions.get(name);
    if (fn == null) {
      throw new GoTemplateException("function \"" + name + "\" not defined");
    }
    try {
      return fn.apply(args);
    } catch (RuntimeException e) {
      throw new GoTemplateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
  }

  private void def(String name, Fn fn) {
    functions.put(name, fn);
  }

  private void fixed(String name, int arity, Fn fn) {
    functions.put(
        name,
        args -> {
          if (args.size() != arity) {
            throw new GoTemplateException(
                "wrong number of args for " + name + ": want " + arity + " got " + args.size());
          }
          return fn.apply(args);
        });
  }

  private void atLeast(String name, int arity, Fn fn) {
    functions.put(
        name,
        args -> {
          if (args.size() < arity) {
            throw new GoTemplateException(
                "wrong number of args for "
                    + name
                    + ": want at least "
                    + arity
                    + " got "
                    + args.size());
          }
          return fn.apply(args);
        });
  }

  // ---- Go builtins -------------------------------------------------------------------------

  private void builtins() {
    // and/or are evaluated lazily by the executor; these entries make the names known.
    atLeast("and", 1, a -> a.get(a.size() - 1));
    atLeast("or", 1, a -> a.get(a.size() - 1));
    fixed("not", 1, a -> !GoTemplate.truth(a.get(0)));
    fixed("len", 1, a -> (long) length(a.get(0)));
    atLeast("index", 1, Functions::index);
    atLeast("slice", 1, Functions::slice);
    def("print", a -> goSprint(a));
    def("println", a -> goSprintln(a));
    atLeast("printf", 1, a -> GoFormat.sprintf(str(a.get(0)), a.subList(1, a.size())));
    atLeast(
        "eq",
        1,
        a -> {
          if (a.size() == 1) {
            throw new GoTemplateException("missing argument for comparison");
          }
          for (int i = 1; i < a.size(); i++) {
            if (equal(a.get(0), a.get(i))) {
              return true;
            }
          }
          return false;
        });
    fixed("ne", 2, a -> !equal(a.get(0), a.get(1)));
    fixed("lt", 2, a -> compare(a.get(0), a.get(1)) < 0);
    fixed("le", 2, a -> compare(a.get(0), a.get(1)) <= 0);
    fixed("gt", 2, a -> compare(a.get(0), a.get(1)) > 0);
    fixed("ge", 2, a -> compare(a.get(0), a.get(1)) >= 0);
    def(
        "html",
        a ->
            goSprint(a)
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&#34;")
                .replace("'", "&#39;"));
    def("urlquery", a -> URLEncoder.encode(goSprint(a), StandardCharsets.UTF_8));
    def(
        "js",
        a ->
            goSprint(a)
                .replace("\\", "\\\\")
                .replace("'", "\\'")
                .replace("\"", "\\\"")
                .replace("<", "\\u003C")
                .replace(">", "\\u003E"));
  }

  // ---- strings -----------------------------------------------------------------------------

  private void strings() {
    fixed("lower", 1, a -> string(a, 0).toLowerCase(Locale.ROOT));
    fixed("upper", 1, a -> string(a, 0).toUpperCase(Locale.ROOT));
    fixed("title", 1, a -> title(string(a, 0)));
    fixed(
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
    fixed("trim", 1, a -> string(a, 0).strip());
    fixed("trimAll", 2, a -> trimChars(string(a, 1), string(a, 0)));
    fixed(
        "trimPrefix",
        2,
        a -> {
          String s = string(a, 1);
          String prefix = string(a, 0);
          return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
        });
    fixed(
        "trimSuffix",
        2,
        a -> {
          String s = string(a, 1);
          String suffix = string(a, 0);
          return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
        });
    fixed(
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
    fixed(
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
    fixed("replace", 3, a -> string(a, 2).replace(string(a, 0), string(a, 1)));
    fixed("repeat", 2, a -> string(a, 1).repeat((int) Math.min(toLong(a.get(0)), 100_000)));
    fixed(
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
    fixed("nospace", 1, a -> string(a, 0).replaceAll("\\s", ""));
    fixed("contains", 2, a -> string(a, 1).contains(string(a, 0)));
    fixed("hasPrefix", 2, a -> string(a, 1).startsWith(string(a, 0)));
    fixed("hasSuffix", 2, a -> string(a, 1).endsWith(string(a, 0)));
    def("quote", a -> joinNonNil(a, x -> goQuote(strval(x))));
    def("squote", a -> joinNonNil(a, x -> "'" + strval(x) + "'"));
    def("cat", a -> joinNonNil(a, Functions::strval));
    fixed("indent", 2, a -> indent((int) toLong(a.get(0)), string(a, 1)));
    fixed("nindent", 2, a -> "\n" + indent((int) toLong(a.get(0)), string(a, 1)));
    fixed("snakecase", 1, a -> words(string(a, 0), "_", false));
    fixed("kebabcase", 1, a -> words(string(a, 0), "-", false));
    fixed(
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
    fixed(
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
    fixed(
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
    fixed("plural", 3, a -> toLong(a.get(2)) == 1 ? string(a, 0) : string(a, 1));
    fixed(
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
    fixed(
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
    fixed(
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
    fixed(
        "join",
        2,
        a -> {
          List<String> parts = new ArrayList<>();
          for (Object item : strslice(a.get(1))) {
            parts.add(strval(item));
          }
          return String.join(string(a, 0), parts);
        });
    fixed(
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
    fixed("toString", 1, a -> strval(a.get(0)));
    fixed(
        "toStrings",
        1,
        a -> {
          List<Object> out = new ArrayList<>();
          for (Object item : strslice(a.get(0))) {
            out.add(strval(item));
          }
          return out;
        });
    fixed("regexMatch", 2, a -> regex(string(a, 0)).matcher(bounded(string(a, 1))).find());
    fixed(
        "regexFind",
        2,
        a -> {
          Matcher m = regex(string(a, 0)).matcher(bounded(string(a, 1)));
          return m.find() ? m.group() : "";
        });
    fixed(
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
    fixed(
        "regexReplaceAll",
        3,
        a ->
            regex(string(a, 0))
                .matcher(bounded(string(a, 1)))
                .replaceAll(goReplacement(string(a, 2))));
    fixed(
        "regexReplaceAllLiteral",
        3,
        a ->
            regex(string(a, 0))
                .matcher(string(a, 1))
                .replaceAll(Matcher.quoteReplacement(string(a, 2))));
    fixed(
        "regexSplit",
        3,
        a -> {
          long n = toLong(a.get(2));
          String[] parts = regex(string(a, 0)).split(bounded(string(a, 1)), n < 0 ? -1 : (int) n);
          return new ArrayList<Object>(List.of(parts));
        });
    fixed("regexQuoteMeta", 1, a -> string(a, 0).replaceAll("([\\\\.+*?()|\\[\\]{}^$])", "\\\\$1"));
    fixed("base", 1, a -> goBase(string(a, 0)));
    fixed(
        "dir",
        1,
        a -> {
          String s = string(a, 0);
          int slash = s.lastIndexOf('/');
          return slash < 0 ? "." : slash == 0 ? "/" : s.substring(0, slash);
        });
    fixed(
        "ext",
        1,
        a -> {
          String s = string(a, 0);
          int dot = s.lastIndexOf('.');
          return dot < 0 || s.indexOf('/', dot) >= 0 ? "" : s.substring(dot);
        });
    fixed("clean", 1, a -> cleanPath(string(a, 0)));
    fixed("isAbs", 1, a -> string(a, 0).startsWith("/"));
  }

  // ---- numbers -----------------------------------------------------------------------------

  private void numbers() {
    def(
        "add",
        a -> {
          long sum = 0;
          for (Object x : a) {
            sum += toLong(x);
          }
          return sum;
        });
    fixed("add1", 1, a -> toLong(a.get(0)) + 1);
    fixed("sub", 2, a -> toLong(a.get(0)) - toLong(a.get(1)));
    atLeast(
        "mul",
        1,
        a -> {
          long product = toLong(a.get(0));
          for (int i = 1; i < a.size(); i++) {
            product *= toLong(a.get(i));
          }
          return product;
        });
    fixed(
        "div",
        2,
        a -> {
          long divisor = toLong(a.get(1));
          if (divisor == 0) {
            throw new GoTemplateException("runtime error: integer divide by zero");
          }
          return toLong(a.get(0)) / divisor;
        });
    fixed(
        "mod",
        2,
        a -> {
          long divisor = toLong(a.get(1));
          if (divisor == 0) {
            throw new GoTemplateException("runtime error: integer divide by zero");
          }
          return toLong(a.get(0)) % divisor;
        });
    atLeast(
        "max",
        1,
        a -> {
          long max = toLong(a.get(0));
          for (Object x : a) {
            max = Math.max(max, toLong(x));
          }
          return max;
        });
    atLeast(
        "min",
        1,
        a -> {
          long min = toLong(a.get(0));
          for (Object x : a) {
            min = Math.min(min, toLong(x));
          }
          return min;
        });
    def(
        "addf",
        a -> {
          double sum = 0;
          for (Object x : a) {
            sum += toDouble(x);
          }
          return sum;
        });
    fixed("subf", 2, a -> toDouble(a.get(0)) - toDouble(a.get(1)));
    fixed("mulf", 2, a -> toDouble(a.get(0)) * toDouble(a.get(1)));
    fixed("divf", 2, a -> toDouble(a.get(0)) / toDouble(a.get(1)));
    fixed("floor", 1, a -> Math.floor(toDouble(a.get(0))));
    fixed("ceil", 1, a -> Math.ceil(toDouble(a.get(0))));
    atLeast(
        "round",
        2,
        a -> {
          double scale = Math.pow(10, toLong(a.get(1)));
          return Math.round(toDouble(a.get(0)) * scale) / scale;
        });
    fixed("int", 1, a -> toLong(a.get(0)));
    fixed("int64", 1, a -> toLong(a.get(0)));
    fixed("float64", 1, a -> toDouble(a.get(0)));
    fixed(
        "atoi",
        1,
        a -> {
          try {
            return Long.parseLong(string(a, 0).strip());
          } catch (NumberFormatException e) {
            return 0L;
          }
        });
    fixed("until", 1, a -> range(0, toLong(a.get(0)), 1));
    fixed("untilStep", 3, a -> range(toLong(a.get(0)), toLong(a.get(1)), toLong(a.get(2))));
    def(
        "seq",
        a -> {
          List<Object> out = new ArrayList<>();
          if (a.size() == 1) {
            for (long i = 1; i <= toLong(a.get(0)); i++) {
              out.add(i);
            }
          } else if (a.size() == 2) {
            for (long i = toLong(a.get(0)); i <= toLong(a.get(1)); i++) {
              out.add(i);
            }
          }
          return goSprint(out).replace("[", "").replace("]", "");
        });
  }

  // ---- defaults, lists and dicts -----------------------------------------------------------

  private void collections() {
    atLeast("default", 1, a -> a.size() < 2 || empty(a.get(1)) ? a.get(0) : a.get(1));
    fixed("empty", 1, a -> empty(a.get(0)));
    def(
        "coalesce",
        a -> {
          for (Object x : a) {
            if (!empty(x)) {
              return x;
            }
          }
          return null;
        });
    fixed("ternary", 3, a -> GoTemplate.truth(a.get(2)) ? a.get(0) : a.get(1));
    def("all", a -> a.stream().noneMatch(Functions::empty));
    def("any", a -> a.stream().anyMatch(x -> !empty(x)));
    fixed(
        "fail",
        1,
        a -> {
          throw new GoTemplateException(string(a, 0));
        });
    fixed(
        "required",
        2,
        a -> {
          if (a.get(1) == null || (a.get(1) instanceof String s && s.isEmpty())) {
            throw new GoTemplateException(string(a, 0));
          }
          return a.get(1);
        });
    def("list", a -> new ArrayList<>(a));
    def("tuple", a -> new ArrayList<>(a));
    fixed(
        "first",
        1,
        a -> {
          List<Object> l = list(a.get(0));
          return l.isEmpty() ? null : l.get(0);
        });
    fixed(
        "last",
        1,
        a -> {
          List<Object> l = list(a.get(0));
          return l.isEmpty() ? null : l.get(l.size() - 1);
        });
    fixed(
        "rest",
        1,
        a -> {
          List<Object> l = list(a.get(0));
          return l.isEmpty() ? new ArrayList<>() : new ArrayList<>(l.subList(1, l.size()));
        });
    fixed(
        "initial",
        1,
        a -> {
          List<Object> l = list(a.get(0));
          return l.isEmpty() ? new ArrayList<>() : new ArrayList<>(l.subList(0, l.size() - 1));
        });
    fixed(
        "append",
        2,
        a -> {
          List<Object> l = new ArrayList<>(list(a.get(0)));
          l.add(a.get(1));
          return l;
        });
    functions.put("push", functions.get("append"));
    fixed(
        "prepend",
        2,
        a -> {
          List<Object> l = new ArrayList<>();
          l.add(a.get(1));
          l.addAll(list(a.get(0)));
          return l;
        });
    def(
        "concat",
        a -> {
          List<Object> l = new ArrayList<>();
          for (Object x : a) {
            l.addAll(list(x));
          }
          return l;
        });
    fixed(
        "reverse",
        1,
        a -> {
          List<Object> l = new ArrayList<>(list(a.get(0)));
          java.util.Collections.reverse(l);
          return l;
        });
    fixed("uniq", 1, a -> new ArrayList<>(new LinkedHashSet<>(list(a.get(0)))));
    atLeast(
        "without",
        1,
        a -> {
          List<Object> l = new ArrayList<>(list(a.get(0)));
          l.removeAll(a.subList(1, a.size()));
          return l;
        });
    fixed("has", 2, a -> list(a.get(1)).stream().anyMatch(x -> equalLenient(x, a.get(0))));
    fixed(
        "compact",
        1,
        a -> {
          List<Object> l = new ArrayList<>();
          for (Object x : list(a.get(0))) {
            if (!empty(x)) {
              l.add(x);
            }
          }
          return l;
        });
    def(
        "dict",
        a -> {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < a.size(); i += 2) {
            m.put(strval(a.get(i)), i + 1 < a.size() ? a.get(i + 1) : "");
          }
          return m;
        });
    fixed(
        "get",
        2,
        a -> {
          Map<String, Object> m = map(a.get(0));
          return m.containsKey(string(a, 1)) ? m.get(string(a, 1)) : "";
        });
    fixed(
        "set",
        3,
        a -> {
          Map<String, Object> m = map(a.get(0));
          m.put(string(a, 1), a.get(2));
          return m;
        });
    fixed(
        "unset",
        2,
        a -> {
          Map<String, Object> m = map(a.get(0));
          m.remove(string(a, 1));
          return m;
        });
    fixed("hasKey", 2, a -> map(a.get(0)).containsKey(string(a, 1)));
    def(
        "keys",
        a -> {
          List<String> keys = new ArrayList<>();
          for (Object m : a) {
            keys.addAll(map(m).keySet());
          }
          // Sprig returns Go map order (random); sorted is the only reproducible choice.
          keys.sort(null);
          return new ArrayList<Object>(keys);
        });
    fixed(
        "values",
        1,
        a -> {
          List<Object> out = new ArrayList<>();
          for (Map.Entry<String, Object> e : GoTemplate.sortedEntries(map(a.get(0)))) {
            out.add(e.getValue());
          }
          return out;
        });
    atLeast(
        "pick",
        1,
        a -> {
          Map<String, Object> m = map(a.get(0));
          Map<String, Object> out = new LinkedHashMap<>();
          for (Object key : a.subList(1, a.size())) {
            if (m.containsKey(strval(key))) {
              out.put(strval(key), m.get(strval(key)));
            }
          }
          return out;
        });
    atLeast(
        "omit",
        1,
        a -> {
          Map<String, Object> out = new LinkedHashMap<>(map(a.get(0)));
          for (Object key : a.subList(1, a.size())) {
            out.remove(strval(key));
          }
          return out;
        });
    atLeast("merge", 1, a -> mergeMaps(a, false));
    atLeast("mergeOverwrite", 1, a -> mergeMaps(a, true));
    atLeast(
        "pluck",
        1,
        a -> {
          List<Object> out = new ArrayList<>();
          for (Object m : a.subList(1, a.size())) {
            Map<String, Object> map = map(m);
            if (map.containsKey(string(a, 0))) {
              out.add(map.get(string(a, 0)));
            }
          }
          return out;
        });
    atLeast(
        "dig",
        3,
        a -> {
          Object current = a.get(a.size() - 1);
          for (Object key : a.subList(0, a.size() - 2)) {
            if (!(current instanceof Map<?, ?> m) || !m.containsKey(strval(key))) {
              return a.get(a.size() - 2);
            }
            current = m.get(strval(key));
          }
          return current;
        });
    fixed("deepCopy", 1, a -> Values.fromJson(Values.toJson(a.get(0))));
    fixed("kindOf", 1, a -> kindOf(a.get(0)));
    fixed("typeOf", 1, a -> typeOf(a.get(0)));
    fixed("kindIs", 2, a -> string(a, 0).equals(kindOf(a.get(1))));
    fixed("typeIs", 2, a -> string(a, 0).equals(typeOf(a.get(1))));
  }

  // ---- encodings ---------------------------------------------------------------------------

  private void encodings() {
    fixed(
        "b64enc",
        1,
        a -> Base64.getEncoder().encodeToString(strval(a.get(0)).getBytes(StandardCharsets.UTF_8)));
    fixed(
        "b64dec",
        1,
        a -> {
          try {
            return new String(Base64.getDecoder().decode(strval(a.get(0))), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException e) {
            return e.getMessage();
          }
        });
    fixed("b32enc", 1, a -> base32(strval(a.get(0)).getBytes(StandardCharsets.UTF_8)));
    fixed("sha1sum", 1, a -> digest("SHA-1", strval(a.get(0))));
    fixed("sha256sum", 1, a -> digest("SHA-256", strval(a.get(0))));
    fixed("sha512sum", 1, a -> digest("SHA-512", strval(a.get(0))));
    fixed(
        "adler32sum",
        1,
        a -> {
          java.util.zip.Adler32 adler = new java.util.zip.Adler32();
          adler.update(strval(a.get(0)).getBytes(StandardCharsets.UTF_8));
          return String.valueOf(adler.getValue());
        });
    fixed("toJson", 1, a -> GoJson.write(a.get(0), false));
    fixed("mustToJson", 1, a -> GoJson.write(a.get(0), false));
    fixed("toPrettyJson", 1, a -> GoJson.write(a.get(0), true));
    fixed("mustToPrettyJson", 1, a -> GoJson.write(a.get(0), true));
    // toRawJson is toJson without HTML escaping.
    fixed(
        "toRawJson",
        1,
        a ->
            GoJson.write(a.get(0), false)
                .replace("\\u003c", "<")
                .replace("\\u003e", ">")
                .replace("\\u0026", "&"));
    fixed(
        "fromJson",
        1,
        a -> {
          try {
            return Values.fromJson(FROM_YAML.readJson(string(a, 0)));
          } catch (YamlException e) {
            throw new GoTemplateException("cannot parse JSON: " + e.getMessage());
          }
        });
  }

  // ---- Argo CD additions -------------------------------------------------------------------

  private void argo() {
    fixed(
        "tpl",
        2,
        a -> {
          throw new GoTemplateException("tpl needs a template context");
        });
    fixed("normalize", 1, a -> Names.normalize(string(a, 0)));
    atLeast(
        "slugify",
        1,
        a -> {
          int max = 50;
          boolean smart = true;
          if (a.size() >= 2) {
            max = (int) toLong(a.get(0));
          }
          if (a.size() >= 3) {
            smart = GoTemplate.truth(a.get(1));
          }
          return Names.slugify(string(a, a.size() - 1), max, smart);
        });
    fixed(
        "toYaml",
        1,
        a -> {
          try {
            String yaml = YAML.writeValueAsString(Values.toJson(sorted(a.get(0))));
            return yaml.endsWith("\n") ? yaml.substring(0, yaml.length() - 1) : yaml;
          } catch (JsonProcessingException e) {
            throw new GoTemplateException(e.getOriginalMessage());
          }
        });
    fixed(
        "fromYaml",
        1,
        a -> {
          JsonNode node = readYaml(string(a, 0));
          if (node == null || node.isNull()) {
            return new LinkedHashMap<String, Object>();
          }
          if (!node.isObject()) {
            throw new GoTemplateException("fromYaml: expected a map");
          }
          return Values.fromJson(node);
        });
    fixed(
        "fromYamlArray",
        1,
        a -> {
          JsonNode node = readYaml(string(a, 0));
          if (node == null || node.isNull()) {
            return new ArrayList<>();
          }
          if (!node.isArray()) {
            throw new GoTemplateException("fromYamlArray: expected a list");
          }
          return Values.fromJson(node);
        });
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static JsonNode readYaml(String text) throws GoTemplateException {
    try {
      return FROM_YAML.read(text);
    } catch (YamlException e) {
      throw new GoTemplateException(e.getMessage());
    }
  }

  /** A Go {@code string} parameter: only strings are accepted, as Go's type check does. */
  private static String string(List<Object> args, int index) throws GoTemplateException {
    Object value = args.get(index);
    if (value instanceof String s) {
      return s;
    }
    if (value == null) {
      throw new GoTemplateException("invalid value; expected string");
    }
    throw new GoTemplateException("wrong type for value; expected string; got " + typeOf(value));
  }

  private static String str(Object value) throws GoTemplateException {
    return string(java.util.Collections.singletonList(value), 0);
  }

  /** Sprig's strval: any value printed as Go does. */
  static String strval(Object value) {
    if (value instanceof String s) {
      return s;
    }
    return Values.format(value);
  }

  static long toLong(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof Number n) {
      return (long) n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof String s) {
      try {
        String t = s.strip();
        if (t.contains(".") || t.contains("e") || t.contains("E")) {
          return (long) Double.parseDouble(t);
        }
        return Long.decode(t);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  static double toDouble(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  static boolean empty(Object value) {
    return !GoTemplate.truth(value);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) throws GoTemplateException {
    if (value instanceof List<?> l) {
      return (List<Object>) l;
    }
    if (value == null) {
      return List.of();
    }
    throw new GoTemplateException("cannot use type " + typeOf(value) + " as a list");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) throws GoTemplateException {
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new GoTemplateException(
        "wrong type for value; expected map[string]interface {}; got " + typeOf(value));
  }

  private static List<Object> strslice(Object value) {
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object x : l) {
        if (x != null) {
          out.add(x);
        }
      }
      return out;
    }
    if (value == null) {
      return List.of();
    }
    return List.of(strval(value));
  }

  private static Map<String, Object> mergeMaps(List<Object> maps, boolean overwrite)
      throws GoTemplateException {
    Map<String, Object> target = map(maps.get(0));
    for (Object source : maps.subList(1, maps.size())) {
      deepMerge(target, map(source), overwrite);
    }
    return target;
  }

  @SuppressWarnings("unchecked")
  private static void deepMerge(
      Map<String, Object> target, Map<String, Object> source, boolean overwrite) {
    for (Map.Entry<String, Object> entry : source.entrySet()) {
      Object existing = target.get(entry.getKey());
      if (existing instanceof Map<?, ?> em && entry.getValue() instanceof Map<?, ?> sm) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) em);
        deepMerge(copy, (Map<String, Object>) sm, overwrite);
        target.put(entry.getKey(), copy);
      } else if (!target.containsKey(entry.getKey())
          || (overwrite && !empty(entry.getValue()))
          || (!overwrite && empty(existing))) {
        target.put(entry.getKey(), entry.getValue());
      }
    }
  }

  private static List<Object> range(long start, long stop, long step) {
    List<Object> out = new ArrayList<>();
    if (step == 0) {
      return out;
    }
    for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
      out.add(i);
      if (out.size() > 1_000_000) {
        break;
      }
    }
    return out;
  }

  private static int length(Object value) throws GoTemplateException {
    if (value instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8).length;
    }
    if (value instanceof List<?> l) {
      return l.size();
    }
    if (value instanceof Map<?, ?> m) {
      return m.size();
    }
    if (value == null) {
      throw new GoTemplateException("len of nil pointer");
    }
    throw new GoTemplateException("len of type " + typeOf(value));
  }

  private static Object index(List<Object> args) throws GoTemplateException {
    Object item = args.get(0);
    for (Object key : args.subList(1, args.size())) {
      if (item instanceof List<?> l) {
        long i = toLong(key);
        if (i < 0 || i >= l.size()) {
          throw new GoTemplateException("index out of range: " + i);
        }
        item = l.get((int) i);
      } else if (item instanceof Map<?, ?> m) {
        item = m.get(strval(key));
      } else if (item instanceof String s) {
        long i = toLong(key);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (i < 0 || i >= bytes.length) {
          throw new GoTemplateException("index out of range: " + i);
        }
        item = (long) (bytes[(int) i] & 0xff);
      } else if (item == null) {
        throw new GoTemplateException("index of untyped nil");
      } else {
        throw new GoTemplateException("can't index item of type " + typeOf(item));
      }
    }
    return item;
  }

  private static Object slice(List<Object> args) throws GoTemplateException {
    Object item = args.get(0);
    int length;
    if (item instanceof String s) {
      length = s.length();
    } else if (item instanceof List<?> l) {
      length = l.size();
    } else {
      throw new GoTemplateException("can't slice item of type " + typeOf(item));
    }
    int from = args.size() > 1 ? (int) toLong(args.get(1)) : 0;
    int to = args.size() > 2 ? (int) toLong(args.get(2)) : length;
    if (from < 0 || to > length || from > to) {
      throw new GoTemplateException("index out of range: " + from + ":" + to);
    }
    return item instanceof String s
        ? s.substring(from, to)
        : new ArrayList<>(((List<?>) item).subList(from, to));
  }

  private static boolean equal(Object a, Object b) throws GoTemplateException {
    if (a instanceof Map || a instanceof List || b instanceof Map || b instanceof List) {
      throw new GoTemplateException(
          "non-comparable type " + typeOf(a instanceof Map || a instanceof List ? a : b));
    }
    return equalLenient(a, b);
  }

  private static boolean equalLenient(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return java.util.Objects.equals(a, b);
  }

  private static int compare(Object a, Object b) throws GoTemplateException {
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (a == null || b == null || a instanceof Map || a instanceof List || a instanceof Boolean) {
      throw new GoTemplateException("invalid type for comparison");
    }
    throw new GoTemplateException("incompatible types for comparison");
  }

  private static String goSprint(List<Object> args) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      Object arg = args.get(i);
      // Go's Sprint puts a space between operands when neither is a string.
      if (i > 0 && !(arg instanceof String) && !(args.get(i - 1) instanceof String)) {
        out.append(' ');
      }
      out.append(Values.format(arg));
    }
    return out.toString();
  }

  private static String goSprintln(List<Object> args) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(Values.format(args.get(i)));
    }
    return out.append('\n').toString();
  }

  private interface Stringer {
    String apply(Object value);
  }

  private static String joinNonNil(List<Object> args, Stringer stringer) {
    List<String> out = new ArrayList<>();
    for (Object arg : args) {
      if (arg != null) {
        out.add(stringer.apply(arg));
      }
    }
    return String.join(" ", out);
  }

  /** Go's strconv.Quote. */
  static String goQuote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String indent(int spaces, String text) {
    String pad = " ".repeat(Math.max(0, spaces));
    return pad + text.replace("\n", "\n" + pad);
  }

  private static String title(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean start = true;
    for (char c : s.toCharArray()) {
      out.append(start ? Character.toTitleCase(c) : c);
      start = !Character.isLetterOrDigit(c) && c != '_' && c != '\'';
    }
    return out.toString();
  }

  private static String trimChars(String s, String cutset) {
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

  private static String words(String s, String separator, boolean upper) {
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

  private static final Map<String, Pattern> REGEX_CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static Pattern regex(String expression) throws GoTemplateException {
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

  private static CharSequence bounded(String text) {
    return BoundedText.of(text);
  }

  /** Go's $1 / ${1} / ${name} expansion written for Java's Matcher. */
  private static String goReplacement(String replacement) {
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

  /** RFC 4648 base32 with padding, as Go's StdEncoding writes it. */
  private static String base32(byte[] data) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(alphabet.charAt((buffer << (5 - bits)) & 31));
    }
    while (out.length() % 8 != 0) {
      out.append('=');
    }
    return out.toString();
  }

  private static String digest(String algorithm, String text) {
    return Digests.hex(algorithm, text);
  }

  private static String goBase(String path) {
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

  private static String cleanPath(String path) {
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

  static String kindOf(Object value) {
    if (value == null) {
      return "invalid";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Long) {
      return "int64";
    }
    if (value instanceof Double) {
      return "float64";
    }
    if (value instanceof Map) {
      return "map";
    }
    if (value instanceof List) {
      return "slice";
    }
    return "struct";
  }

  static String typeOf(Object value) {
    if (value == null) {
      return "<nil>";
    }
    if (value instanceof Map) {
      return "map[string]interface {}";
    }
    if (value instanceof List) {
      return "[]interface {}";
    }
    return kindOf(value);
  }

  /** Go's encoders write map keys sorted; so do we. */
  static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new TreeMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object item : list) {
        out.add(sorted(item));
      }
      return out;
    }
    return value;
  }
}
