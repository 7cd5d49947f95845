package dev.flotilla.generators.gotemplate;

import static dev.flotilla.generators.gotemplate.GoValues.string;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  private final Map<String, Fn> functions = new HashMap<>();

  private Functions() {
    FunctionTable t = new FunctionTable(functions);
    BuiltinFunctions.register(t);
    StringFunctions.register(t);
    RegexFunctions.register(t);
    NumberFunctions.register(t);
    CollectionFunctions.register(t);
    EncodingFunctions.register(t);
    ArgoFunctions.register(t);
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
}
