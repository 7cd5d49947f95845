package dev.flotilla.generators.gotemplate;

import static dev.flotilla.generators.gotemplate.GoValues.empty;
import static dev.flotilla.generators.gotemplate.GoValues.equalLenient;
import static dev.flotilla.generators.gotemplate.GoValues.kindOf;
import static dev.flotilla.generators.gotemplate.GoValues.list;
import static dev.flotilla.generators.gotemplate.GoValues.map;
import static dev.flotilla.generators.gotemplate.GoValues.string;
import static dev.flotilla.generators.gotemplate.GoValues.strval;
import static dev.flotilla.generators.gotemplate.GoValues.typeOf;

import dev.flotilla.generators.template.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Sprig's defaults, list and dict functions (Sprig's defaults.go, list.go and dict.go). */
final class CollectionFunctions {

  private CollectionFunctions() {}

  static void register(FunctionTable t) {
    t.atLeast("default", 1, a -> a.size() < 2 || empty(a.get(1)) ? a.get(0) : a.get(1));
    t.fixed("empty", 1, a -> empty(a.get(0)));
    t.def(
        "coalesce",
        a -> {
          for (Object x : a) {
            if (!empty(x)) {
              return x;
            }
          }
          return null;
        });
    t.fixed("ternary", 3, a -> GoTemplate.truth(a.get(2)) ? a.get(0) : a.get(1));
    t.def("all", a -> a.stream().noneMatch(GoValues::empty));
    t.def("any", a -> a.stream().anyMatch(x -> !empty(x)));
    t.fixed(
        "fail",
        1,
        a -> {
          throw new GoTemplateException(string(a, 0));
        });
    t.fixed(
        "required",
        2,
        a -> {
          if (a.get(1) == null || (a.get(1) instanceof String s && s.isEmpty())) {
            throw new GoTemplateException(string(a, 0));
          }
          return a.get(1);
        });
    t.def("list", a -> new ArrayList<>(a));
    t.def("tuple", a -> new ArrayList<>(a));
    t.fixed(
        "first",
        1,
        a -> {
          List<Object> l = list(a.get(0));
          return l.isEmpty() ? null : l.get(0);
        });
    t.fixed(
        "last",
        1,
        a -> {
          List<Object> l = list(a.get(0));
          return l.isEmpty() ? null : l.get(l.size() - 1);
        });
    t.fixed(
        "rest",
        1,
        a -> {
          List<Object> l = list(a.get(0));
          return l.isEmpty() ? new ArrayList<>() : new ArrayList<>(l.subList(1, l.size()));
        });
    t.fixed(
        "initial",
        1,
        a -> {
          List<Object> l = list(a.get(0));
          return l.isEmpty() ? new ArrayList<>() : new ArrayList<>(l.subList(0, l.size() - 1));
        });
    t.fixed(
        "append",
        2,
        a -> {
          List<Object> l = new ArrayList<>(list(a.get(0)));
          l.add(a.get(1));
          return l;
        });
    t.alias("push", "append");
    t.fixed(
        "prepend",
        2,
        a -> {
          List<Object> l = new ArrayList<>();
          l.add(a.get(1));
          l.addAll(list(a.get(0)));
          return l;
        });
    t.def(
        "concat",
        a -> {
          List<Object> l = new ArrayList<>();
          for (Object x : a) {
            l.addAll(list(x));
          }
          return l;
        });
    t.fixed(
        "reverse",
        1,
        a -> {
          List<Object> l = new ArrayList<>(list(a.get(0)));
          java.util.Collections.reverse(l);
          return l;
        });
    t.fixed("uniq", 1, a -> new ArrayList<>(new LinkedHashSet<>(list(a.get(0)))));
    t.atLeast(
        "without",
        1,
        a -> {
          List<Object> l = new ArrayList<>(list(a.get(0)));
          l.removeAll(a.subList(1, a.size()));
          return l;
        });
    t.fixed("has", 2, a -> list(a.get(1)).stream().anyMatch(x -> equalLenient(x, a.get(0))));
    t.fixed(
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
    t.def(
        "dict",
        a -> {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < a.size(); i += 2) {
            m.put(strval(a.get(i)), i + 1 < a.size() ? a.get(i + 1) : "");
          }
          return m;
        });
    t.fixed(
        "get",
        2,
        a -> {
          Map<String, Object> m = map(a.get(0));
          return m.containsKey(string(a, 1)) ? m.get(string(a, 1)) : "";
        });
    t.fixed(
        "set",
        3,
        a -> {
          Map<String, Object> m = map(a.get(0));
          m.put(string(a, 1), a.get(2));
          return m;
        });
    t.fixed(
        "unset",
        2,
        a -> {
          Map<String, Object> m = map(a.get(0));
          m.remove(string(a, 1));
          return m;
        });
    t.fixed("hasKey", 2, a -> map(a.get(0)).containsKey(string(a, 1)));
    t.def(
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
    t.fixed(
        "values",
        1,
        a -> {
          List<Object> out = new ArrayList<>();
          for (Map.Entry<String, Object> e : GoTemplate.sortedEntries(map(a.get(0)))) {
            out.add(e.getValue());
          }
          return out;
        });
    t.atLeast(
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
    t.atLeast(
        "omit",
        1,
        a -> {
          Map<String, Object> out = new LinkedHashMap<>(map(a.get(0)));
          for (Object key : a.subList(1, a.size())) {
            out.remove(strval(key));
          }
          return out;
        });
    t.atLeast("merge", 1, a -> mergeMaps(a, false));
    t.atLeast("mergeOverwrite", 1, a -> mergeMaps(a, true));
    t.atLeast(
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
    t.atLeast(
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
    t.fixed("deepCopy", 1, a -> Values.fromJson(Values.toJson(a.get(0))));
    t.fixed("kindOf", 1, a -> kindOf(a.get(0)));
    t.fixed("typeOf", 1, a -> typeOf(a.get(0)));
    t.fixed("kindIs", 2, a -> string(a, 0).equals(kindOf(a.get(1))));
    t.fixed("typeIs", 2, a -> string(a, 0).equals(typeOf(a.get(1))));
  }

  static Map<String, Object> mergeMaps(List<Object> maps, boolean overwrite)
      throws GoTemplateException {
    Map<String, Object> target = map(maps.get(0));
    for (Object source : maps.subList(1, maps.size())) {
      deepMerge(target, map(source), overwrite);
    }
    return target;
  }

  @SuppressWarnings("unchecked")
  static void deepMerge(Map<String, Object> target, Map<String, Object> source, boolean overwrite) {
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
}
