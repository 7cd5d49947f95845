package dev.flotilla.generators.gotemplate;

import dev.flotilla.generators.gotemplate.Functions.Fn;
import java.util.Map;

/** Where the function families register their functions, with Go's arity checks. */
final class FunctionTable {

  private final Map<String, Fn> functions;

  FunctionTable(Map<String, Fn> functions) {
    this.functions = functions;
  }

  void def(String name, Fn fn) {
    functions.put(name, fn);
  }

  void fixed(String name, int arity, Fn fn) {
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

  void atLeast(String name, int arity, Fn fn) {
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

  /** {@code name} as another name of the function registered as {@code existing}. */
  void alias(String name, String existing) {
    functions.put(name, functions.get(existing));
  }
}
