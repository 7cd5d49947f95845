package dev.flotilla.generators.gotemplate;

import java.util.List;

/** The parse tree of a Go template. */
sealed interface Node {

  record Text(String text) implements Node {}

  /** {{pipeline}}: prints unless the pipeline declares variables. */
  record Action(Pipeline pipeline) implements Node {}

  record If(Pipeline condition, List<Node> then, List<Node> otherwise) implements Node {}

  record With(Pipeline value, List<Node> then, List<Node> otherwise) implements Node {}

  record Range(Pipeline value, List<Node> body, List<Node> otherwise) implements Node {}

  record Break() implements Node {}

  record Continue() implements Node {}

  /** {{template "name" pipeline}} (also the call half of {{block}}). */
  record Call(String name, Pipeline argument) implements Node {}

  /** Declarations or assignments ($x := / $x =), then commands joined by |. */
  record Pipeline(List<String> variables, boolean declare, List<Command> commands, String text) {}

  record Command(List<Operand> operands) {}

  /** A value in a command, possibly followed by .field accesses. */
  sealed interface Operand {}

  record Dot() implements Operand {}

  /** .a.b on dot. */
  record Field(List<String> names) implements Operand {}

  /** $x.a.b. */
  record Variable(String name, List<String> names) implements Operand {}

  /** A function name. */
  record Identifier(String name) implements Operand {}

  record Literal(Object value) implements Operand {}

  /** (pipeline).a.b. */
  record Nested(Pipeline pipeline, List<String> names) implements Operand {}
}
