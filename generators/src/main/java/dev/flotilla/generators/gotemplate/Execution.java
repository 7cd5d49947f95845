package dev.flotilla.generators.gotemplate;

import dev.flotilla.generators.template.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of a {@link GoTemplate}: the output so far and the variables in scope. Not thread-safe; a
 * new one per execution.
 */
final class Execution {
  private static final class LoopSignal extends RuntimeException {
    final boolean isBreak;

    LoopSignal(boolean isBreak) {
      super(null, null, false, false);
      this.isBreak = isBreak;
    }
  }

  private static final LoopSignal BREAK = new LoopSignal(true);
  private static final LoopSignal CONTINUE = new LoopSignal(false);

  private final GoTemplate template;
  final StringBuilder out = new StringBuilder(32);
  final List<String> names = new ArrayList<>(4);
  final List<Object> values = new ArrayList<>(4);

  Execution(GoTemplate template, Object root) {
    this.template = template;
    push("$", root);
  }

  void push(String name, Object value) {
    names.add(name);
    values.add(value);
  }

  int mark() {
    return names.size();
  }

  void pop(int mark) {
    while (names.size() > mark) {
      names.remove(names.size() - 1);
      values.remove(values.size() - 1);
    }
  }

  Object variable(String name) throws GoTemplateException {
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equals(name)) {
        return values.get(i);
      }
    }
    throw new GoTemplateException("undefined variable: " + name);
  }

  void assign(String name, Object value) throws GoTemplateException {
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equals(name)) {
        values.set(i, value);
        return;
      }
    }
    throw new GoTemplateException("undefined variable: " + name);
  }

  void walk(List<Node> nodes, Object dot, int depth) throws GoTemplateException {
    for (Node node : nodes) {
      walk(node, dot, depth);
    }
  }

  void walk(Node node, Object dot, int depth) throws GoTemplateException {
    if (out.length() > GoTemplate.MAX_OUTPUT_CHARS) {
      throw new GoTemplateException(
          "output exceeds " + GoTemplate.MAX_OUTPUT_CHARS + " characters");
    }
    if (node instanceof Node.Text t) {
      out.append(t.text());
    } else if (node instanceof Node.Action a) {
      Object value = pipeline(a.pipeline(), dot);
      if (a.pipeline().variables().isEmpty()) {
        print(value);
      }
    } else if (node instanceof Node.If i) {
      int mark = mark();
      boolean truth = GoTemplate.truth(pipeline(i.condition(), dot));
      walk(truth ? i.then() : i.otherwise(), dot, depth);
      pop(mark);
    } else if (node instanceof Node.With w) {
      int mark = mark();
      Object value = pipeline(w.value(), dot);
      if (GoTemplate.truth(value)) {
        walk(w.then(), value, depth);
      } else {
        walk(w.otherwise(), dot, depth);
      }
      pop(mark);
    } else if (node instanceof Node.Range r) {
      range(r, dot, depth);
    } else if (node instanceof Node.Break) {
      throw BREAK;
    } else if (node instanceof Node.Continue) {
      throw CONTINUE;
    } else if (node instanceof Node.Call call) {
      List<Node> body = template.parsed.defines().get(call.name());
      if (body == null) {
        throw new GoTemplateException("no such template \"" + call.name() + "\"");
      }
      if (depth >= GoTemplate.MAX_TEMPLATE_DEPTH) {
        throw new GoTemplateException(
            "exceeded maximum template depth (" + GoTemplate.MAX_TEMPLATE_DEPTH + ")");
      }
      Object argument = call.argument() == null ? null : pipeline(call.argument(), dot);
      Execution inner = new Execution(template, argument);
      inner.walk(body, argument, depth + 1);
      out.append(inner.out);
    }
  }

  void range(Node.Range r, Object dot, int depth) throws GoTemplateException {
    int mark = mark();
    Node.Pipeline pipe = r.value();
    // Range variables are bound per element, not to the whole pipeline value.
    Node.Pipeline valueOnly = new Node.Pipeline(List.of(), false, pipe.commands(), pipe.text());
    Object value = pipeline(valueOnly, dot);
    List<Object[]> items = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        items.add(new Object[] {(long) i, list.get(i)});
      }
    } else if (value instanceof Map<?, ?> map) {
      for (Map.Entry<String, Object> entry : GoTemplate.sortedEntries(map)) {
        items.add(new Object[] {entry.getKey(), entry.getValue()});
      }
    } else if (value instanceof Long || value instanceof Double) {
      long count = GoValues.toLong(value);
      if (count > 1_000_000) {
        throw new GoTemplateException("range count too large: " + count);
      }
      for (long i = 0; i < count; i++) {
        items.add(new Object[] {i, i});
      }
    } else if (value != null && value != GoTemplate.NO_VALUE) {
      throw new GoTemplateException("range can't iterate over " + Values.format(value));
    }
    if (items.isEmpty()) {
      walk(r.otherwise(), dot, depth);
      pop(mark);
      return;
    }
    for (Object[] item : items) {
      int inner = mark();
      List<String> variables = pipe.variables();
      if (variables.size() == 1) {
        push(variables.get(0), item[1]);
      } else if (variables.size() == 2) {
        push(variables.get(0), item[0]);
        push(variables.get(1), item[1]);
      }
      try {
        walk(r.body(), item[1], depth);
      } catch (LoopSignal signal) {
        if (signal.isBreak) {
          pop(inner);
          break;
        }
      }
      pop(inner);
    }
    pop(mark);
  }

  Object pipeline(Node.Pipeline pipe, Object dot) throws GoTemplateException {
    Object value = null;
    boolean piped = false;
    for (Node.Command command : pipe.commands()) {
      value = command(command, dot, piped, value, pipe);
      piped = true;
    }
    for (String variable : pipe.variables()) {
      if (pipe.declare()) {
        push(variable, value);
      } else {
        assign(variable, value);
      }
    }
    return value;
  }

  Object command(
      Node.Command command, Object dot, boolean piped, Object pipedValue, Node.Pipeline pipe)
      throws GoTemplateException {
    List<Node.Operand> operands = command.operands();
    Node.Operand first = operands.get(0);
    if (first instanceof Node.Identifier function) {
      String name = function.name();
      if (name.equals("and") || name.equals("or")) {
        return andOr(name.equals("and"), operands, dot, piped, pipedValue);
      }
      List<Object> args = new ArrayList<>(operands.size());
      for (int i = 1; i < operands.size(); i++) {
        args.add(argument(operands.get(i), dot));
      }
      if (piped) {
        args.add(argumentValue(pipedValue));
      }
      try {
        return template.functions.call(name, args, this::callTemplate);
      } catch (GoTemplateException e) {
        throw new GoTemplateException(
            "executing at <" + name + ">: error calling " + name + ": " + e.getMessage(), e);
      }
    }
    if (operands.size() > 1 || piped) {
      throw new GoTemplateException(
          "executing at <"
              + pipe.text()
              + ">: can't give argument to non-function "
              + describe(first));
    }
    return operand(first, dot, pipe);
  }

  String callTemplate(String text, Object data) throws GoTemplateException {
    if (template.tplDepth >= GoTemplate.MAX_TPL_DEPTH) {
      throw new GoTemplateException("tpl nested more than " + GoTemplate.MAX_TPL_DEPTH + " levels");
    }
    GoTemplate inner =
        new GoTemplate(
            text,
            Parser.parse(text, template.functions.names()),
            template.missingKey,
            template.functions,
            template.tplDepth + 1);
    return inner.execute(data).replace("<no value>", "");
  }

  Object andOr(
      boolean and, List<Node.Operand> operands, Object dot, boolean piped, Object pipedValue)
      throws GoTemplateException {
    int count = operands.size() - 1 + (piped ? 1 : 0);
    if (count < 1) {
      throw new GoTemplateException(
          "wrong number of args for " + (and ? "and" : "or") + ": want at least 1 got 0");
    }
    Object value = null;
    for (int i = 1; i < operands.size(); i++) {
      value = argument(operands.get(i), dot);
      if (GoTemplate.truth(value) != and) {
        return value;
      }
    }
    if (piped) {
      value = argumentValue(pipedValue);
    }
    return value;
  }

  Object argument(Node.Operand operand, Object dot) throws GoTemplateException {
    if (operand instanceof Node.Identifier function) {
      try {
        return template.functions.call(function.name(), List.of(), this::callTemplate);
      } catch (GoTemplateException e) {
        throw new GoTemplateException(
            "error calling " + function.name() + ": " + e.getMessage(), e);
      }
    }
    return argumentValue(operand(operand, dot, null));
  }

  /** Functions receive nil where Go has an invalid value (a missing key). */
  Object argumentValue(Object value) {
    return value == GoTemplate.NO_VALUE ? null : value;
  }

  Object operand(Node.Operand operand, Object dot, Node.Pipeline pipe) throws GoTemplateException {
    if (operand instanceof Node.Dot) {
      return dot;
    }
    if (operand instanceof Node.Literal l) {
      return l.value();
    }
    if (operand instanceof Node.Field f) {
      return fields(dot, f.names(), "");
    }
    if (operand instanceof Node.Variable v) {
      return fields(variable(v.name()), v.names(), v.name());
    }
    if (operand instanceof Node.Nested n) {
      return fields(pipeline(n.pipeline(), dot), n.names(), "(" + n.pipeline().text() + ")");
    }
    Node.Identifier i = (Node.Identifier) operand;
    return template.functions.call(i.name(), List.of(), this::callTemplate);
  }

  Object fields(Object receiver, List<String> names, String prefix) throws GoTemplateException {
    Object value = receiver;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (value == GoTemplate.NO_VALUE) {
        if (template.missingKey == GoTemplate.MissingKey.ERROR) {
          throw new GoTemplateException(
              "executing at <"
                  + path(prefix, names, i)
                  + ">: nil data; no entry for key \""
                  + name
                  + "\"");
        }
        continue;
      }
      if (value instanceof Map<?, ?> map) {
        Object next = map.get(name);
        if (next != null || map.containsKey(name)) {
          value = next;
        } else {
          if (template.missingKey == GoTemplate.MissingKey.ERROR) {
            throw new GoTemplateException(
                "executing at <"
                    + path(prefix, names, i)
                    + ">: map has no entry for key \""
                    + name
                    + "\"");
          }
          value = template.missingKey == GoTemplate.MissingKey.ZERO ? null : GoTemplate.NO_VALUE;
        }
      } else if (value == null) {
        throw new GoTemplateException(
            "executing at <"
                + path(prefix, names, i)
                + ">: nil pointer evaluating interface {}."
                + name);
      } else {
        throw new GoTemplateException(
            "executing at <"
                + path(prefix, names, i)
                + ">: can't evaluate field "
                + name
                + " in type "
                + GoValues.typeOf(value));
      }
    }
    return value;
  }

  void print(Object value) {
    if (value instanceof String s) {
      out.append(s);
    } else if (value == null || value == GoTemplate.NO_VALUE) {
      out.append("<no value>");
    } else {
      out.append(Values.format(value));
    }
  }

  /** The field chain up to and including {@code last}, for error messages only. */
  private static String path(String prefix, List<String> names, int last) {
    StringBuilder path = new StringBuilder(prefix);
    for (int i = 0; i <= last; i++) {
      path.append('.').append(names.get(i));
    }
    return path.toString();
  }

  private static String describe(Node.Operand operand) {
    if (operand instanceof Node.Field f) {
      return "." + String.join(".", f.names());
    }
    if (operand instanceof Node.Variable v) {
      return v.name();
    }
    if (operand instanceof Node.Literal l) {
      return String.valueOf(l.value());
    }
    return operand.toString();
  }
}
