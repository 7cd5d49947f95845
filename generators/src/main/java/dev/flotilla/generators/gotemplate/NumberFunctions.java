package dev.flotilla.generators.gotemplate;

import static dev.flotilla.generators.gotemplate.GoValues.goSprint;
import static dev.flotilla.generators.gotemplate.GoValues.range;
import static dev.flotilla.generators.gotemplate.GoValues.string;
import static dev.flotilla.generators.gotemplate.GoValues.toDouble;
import static dev.flotilla.generators.gotemplate.GoValues.toLong;

import java.util.ArrayList;
import java.util.List;

/** Sprig's integer and float arithmetic and conversions (Sprig's numeric.go). */
final class NumberFunctions {

  private NumberFunctions() {}

  static void register(FunctionTable t) {
    t.def(
        "add",
        a -> {
          long sum = 0;
          for (Object x : a) {
            sum += toLong(x);
          }
          return sum;
        });
    t.fixed("add1", 1, a -> toLong(a.get(0)) + 1);
    t.fixed("sub", 2, a -> toLong(a.get(0)) - toLong(a.get(1)));
    t.atLeast(
        "mul",
        1,
        a -> {
          long product = toLong(a.get(0));
          for (int i = 1; i < a.size(); i++) {
            product *= toLong(a.get(i));
          }
          return product;
        });
    t.fixed(
        "div",
        2,
        a -> {
          long divisor = toLong(a.get(1));
          if (divisor == 0) {
            throw new GoTemplateException("runtime error: integer divide by zero");
          }
          return toLong(a.get(0)) / divisor;
        });
    t.fixed(
        "mod",
        2,
        a -> {
          long divisor = toLong(a.get(1));
          if (divisor == 0) {
            throw new GoTemplateException("runtime error: integer divide by zero");
          }
          return toLong(a.get(0)) % divisor;
        });
    t.atLeast(
        "max",
        1,
        a -> {
          long max = toLong(a.get(0));
          for (Object x : a) {
            max = Math.max(max, toLong(x));
          }
          return max;
        });
    t.atLeast(
        "min",
        1,
        a -> {
          long min = toLong(a.get(0));
          for (Object x : a) {
            min = Math.min(min, toLong(x));
          }
          return min;
        });
    t.def(
        "addf",
        a -> {
          double sum = 0;
          for (Object x : a) {
            sum += toDouble(x);
          }
          return sum;
        });
    t.fixed("subf", 2, a -> toDouble(a.get(0)) - toDouble(a.get(1)));
    t.fixed("mulf", 2, a -> toDouble(a.get(0)) * toDouble(a.get(1)));
    t.fixed("divf", 2, a -> toDouble(a.get(0)) / toDouble(a.get(1)));
    t.fixed("floor", 1, a -> Math.floor(toDouble(a.get(0))));
    t.fixed("ceil", 1, a -> Math.ceil(toDouble(a.get(0))));
    t.atLeast(
        "round",
        2,
        a -> {
          double scale = Math.pow(10, toLong(a.get(1)));
          return Math.round(toDouble(a.get(0)) * scale) / scale;
        });
    t.fixed("int", 1, a -> toLong(a.get(0)));
    t.fixed("int64", 1, a -> toLong(a.get(0)));
    t.fixed("float64", 1, a -> toDouble(a.get(0)));
    t.fixed(
        "atoi",
        1,
        a -> {
          try {
            return Long.parseLong(string(a, 0).strip());
          } catch (NumberFormatException e) {
            return 0L;
          }
        });
    t.fixed("until", 1, a -> range(0, toLong(a.get(0)), 1));
    t.fixed("untilStep", 3, a -> range(toLong(a.get(0)), toLong(a.get(1)), toLong(a.get(2))));
    t.def(
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
}
