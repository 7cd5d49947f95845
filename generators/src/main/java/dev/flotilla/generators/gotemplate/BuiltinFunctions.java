package dev.flotilla.generators.gotemplate;

import static dev.flotilla.generators.gotemplate.GoValues.compare;
import static dev.flotilla.generators.gotemplate.GoValues.equal;
import static dev.flotilla.generators.gotemplate.GoValues.goSprint;
import static dev.flotilla.generators.gotemplate.GoValues.length;
import static dev.flotilla.generators.gotemplate.GoValues.str;
import static dev.flotilla.generators.gotemplate.GoValues.strval;
import static dev.flotilla.generators.gotemplate.GoValues.toLong;
import static dev.flotilla.generators.gotemplate.GoValues.typeOf;

import dev.flotilla.generators.template.Values;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Go's text/template builtins (and, or, not, len, index, slice, print*, comparisons, escapers). */
final class BuiltinFunctions {

  private BuiltinFunctions() {}

  static void register(FunctionTable t) {
    // and/or are evaluated lazily by the executor; these entries make the names known.
    t.atLeast("and", 1, a -> a.get(a.size() - 1));
    t.atLeast("or", 1, a -> a.get(a.size() - 1));
    t.fixed("not", 1, a -> !GoTemplate.truth(a.get(0)));
    t.fixed("len", 1, a -> (long) length(a.get(0)));
    t.atLeast("index", 1, BuiltinFunctions::index);
    t.atLeast("slice", 1, BuiltinFunctions::slice);
    t.def("print", a -> goSprint(a));
    t.def("println", a -> goSprintln(a));
    t.atLeast("printf", 1, a -> GoFormat.sprintf(str(a.get(0)), a.subList(1, a.size())));
    t.atLeast(
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
    t.fixed("ne", 2, a -> !equal(a.get(0), a.get(1)));
    t.fixed("lt", 2, a -> compare(a.get(0), a.get(1)) < 0);
    t.fixed("le", 2, a -> compare(a.get(0), a.get(1)) <= 0);
    t.fixed("gt", 2, a -> compare(a.get(0), a.get(1)) > 0);
    t.fixed("ge", 2, a -> compare(a.get(0), a.get(1)) >= 0);
    t.def(
        "html",
        a ->
            goSprint(a)
                .replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&#34;")
                .replace("'", "&#39;"));
    t.def("urlquery", a -> URLEncoder.encode(goSprint(a), StandardCharsets.UTF_8));
    t.def(
        "js",
        a ->
            goSprint(a)
                .replace("\\", "\\\\")
                .replace("'", "\\'")
                .replace("\"", "\\\"")
                .replace("<", "\\u003C")
                .replace(">", "\\u003E"));
  }

  static Object index(List<Object> args) throws GoTemplateException {
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

  static Object slice(List<Object> args) throws GoTemplateException {
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

  static String goSprintln(List<Object> args) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        out.append(' ');
      }
      out.append(Values.format(args.get(i)));
    }
    return out.append('\n').toString();
  }
}
