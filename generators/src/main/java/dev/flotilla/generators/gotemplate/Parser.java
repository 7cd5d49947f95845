package dev.flotilla.generators.gotemplate;

import dev.flotilla.generators.gotemplate.Lexer.Kind;
import dev.flotilla.generators.gotemplate.Lexer.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the parse tree from tokens, checking function names as Go does at parse time. */
final class Parser {

  record Parsed(List<Node> root, Map<String, List<Node>> defines) {}

  private static final Set<String> BLOCK_ENDS = Set.of("end", "else");

  private final List<Token> tokens;
  private final Set<String> functions;
  private final Map<String, List<Node>> defines = new HashMap<>();
  private int pos;
  private int rangeDepth;

  private Parser(List<Token> tokens, Set<String> functions) {
    this.tokens = tokens;
    this.functions = functions;
  }

  static Parsed parse(String text, Set<String> functions) throws GoTemplateException {
    Parser parser = new Parser(Lexer.lex(text), functions);
    List<Node> root = new ArrayList<>();
    String stop = parser.parseList(root);
    if (stop != null) {
      throw new GoTemplateException("unexpected {{" + stop + "}}");
    }
    return new Parsed(root, parser.defines);
  }

  /** Parses nodes until EOF (returns null) or a {{end}}/{{else...}} (returns its keyword). */
  private String parseList(List<Node> into) throws GoTemplateException {
    while (pos < tokens.size()) {
      Token token = tokens.get(pos);
      if (token.kind() == Kind.TEXT) {
        into.add(new Node.Text(token.text()));
        pos++;
        continue;
      }
      expect(Kind.ACTION_START);
      skipSpace();
      Token first = peek();
      if (first.kind() == Kind.IDENT) {
        switch (first.text()) {
          case "end" -> {
            pos++;
            closeAction();
            return "end";
          }
          case "else" -> {
            pos++;
            skipSpace();
            // "else if" / "else with" chain: leave the keyword for the caller.
            return "else";
          }
          case "if", "with", "range" -> {
            pos++;
            into.add(parseControl(first.text()));
            continue;
          }
          case "break", "continue" -> {
            if (rangeDepth == 0) {
              throw new GoTemplateException("{{" + first.text() + "}} outside {{range}}");
            }
            pos++;
            closeAction();
            into.add(first.text().equals("break") ? new Node.Break() : new Node.Continue());
            continue;
          }
          case "define" -> {
            pos++;
            skipSpace();
            String name = stringLiteral(next());
            closeAction();
            List<Node> body = new ArrayList<>();
            String stop = parseList(body);
            if (!"end".equals(stop)) {
              throw new GoTemplateException("unexpected EOF in define");
            }
            defines.put(name, body);
            continue;
          }
          case "template", "block" -> {
            boolean block = first.text().equals("block");
            pos++;
            skipSpace();
            String name = stringLiteral(next());
            skipSpace();
            Node.Pipeline argument = null;
            if (peek().kind() != Kind.ACTION_END) {
              argument = parsePipeline(false);
            }
            closeAction();
            if (block) {
              List<Node> body = new ArrayList<>();
              String stop = parseList(body);
              if (!"end".equals(stop)) {
                throw new GoTemplateException("unexpected EOF in block");
              }
              defines.putIfAbsent(name, body);
            }
            into.add(new Node.Call(name, argument));
            continue;
          }
          default -> {}
        }
      }
      Node.Pipeline pipeline = parsePipeline(true);
      closeAction();
      into.add(new Node.Action(pipeline));
    }
    return null;
  }

  private Node parseControl(String keyword) throws GoTemplateException {
    skipSpace();
    if (keyword.equals("range")) {
      rangeDepth++;
    }
    Node.Pipeline pipeline = parsePipeline(true);
    closeAction();
    List<Node> then = new ArrayList<>();
    String stop = parseList(then);
    if (keyword.equals("range")) {
      rangeDepth--;
    }
    List<Node> otherwise = new ArrayList<>();
    if ("else".equals(stop)) {
      Token after = peek();
      if (after.kind() == Kind.IDENT
          && (after.text().equals("if") || after.text().equals("with"))
          && !keyword.equals("range")) {
        // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} sharing the final {{end}}.
        pos++;
        otherwise.add(parseControl(after.text()));
      } else {
        closeAction();
        String elseStop = parseList(otherwise);
        if (!"end".equals(elseStop)) {
          throw new GoTemplateException("expected {{end}} after {{else}}");
        }
      }
    } else if (!"end".equals(stop)) {
      throw new GoTemplateException("unexpected EOF: missing {{end}} for {{" + keyword + "}}");
    }
    return switch (keyword) {
      case "if" -> new Node.If(pipeline, then, otherwise);
      case "with" -> new Node.With(pipeline, then, otherwise);
      default -> new Node.Range(pipeline, then, otherwise);
    };
  }

  private Node.Pipeline parsePipeline(boolean allowDeclarations) throws GoTemplateException {
    int startPos = pos;
    List<String> variables = new ArrayList<>();
    boolean declare = false;
    if (allowDeclarations && peek().kind() == Kind.VARIABLE) {
      int save = pos;
      List<String> names = new ArrayList<>();
      names.add(next().text());
      skipSpace();
      if (peek().kind() == Kind.COMMA) {
        pos++;
        skipSpace();
        if (peek().kind() == Kind.VARIABLE) {
          names.add(next().text());
          skipSpace();
        }
      }
      if (peek().kind() == Kind.DECLARE || peek().kind() == Kind.ASSIGN) {
        declare = next().kind() == Kind.DECLARE;
        variables = names;
        skipSpace();
      } else {
        pos = save;
      }
    }
    List<Node.Command> commands = new ArrayList<>();
    while (true) {
      skipSpace();
      List<Node.Operand> operands = new ArrayList<>();
      while (true) {
        Token token = peek();
        if (token.kind() == Kind.PIPE
            || token.kind() == Kind.ACTION_END
            || token.kind() == Kind.RPAREN) {
          break;
        }
        operands.add(parseOperand());
        if (peek().kind() == Kind.SPACE) {
          pos++;
        } else if (peek().kind() != Kind.PIPE
            && peek().kind() != Kind.ACTION_END
            && peek().kind() != Kind.RPAREN) {
          throw new GoTemplateException("unexpected " + peek().text() + " in operand");
        }
      }
      if (operands.isEmpty()) {
        throw new GoTemplateException("missing value for command");
      }
      commands.add(new Node.Command(operands));
      if (peek().kind() == Kind.PIPE) {
        pos++;
        continue;
      }
      break;
    }
    StringBuilder text = new StringBuilder();
    for (int i = startPos; i < pos; i++) {
      text.append(tokens.get(i).text());
    }
    return new Node.Pipeline(variables, declare, commands, text.toString().strip());
  }

  private Node.Operand parseOperand() throws GoTemplateException {
    Token token = next();
    Node.Operand operand =
        switch (token.kind()) {
          case DOT -> new Node.Dot();
          case FIELD -> new Node.Field(fieldChain(token.text()));
          case VARIABLE -> new Node.Variable(token.text(), fieldChain(null));
          case STRING -> new Node.Literal(stringLiteral(token));
          case CHAR -> new Node.Literal(charLiteral(token.text()));
          case NUMBER -> new Node.Literal(number(token.text()));
          case LPAREN -> {
            skipSpace();
            Node.Pipeline inner = parsePipeline(false);
            skipSpace();
            if (next().kind() != Kind.RPAREN) {
              throw new GoTemplateException("unclosed left paren");
            }
            yield new Node.Nested(inner, fieldChain(null));
          }
          case IDENT -> {
            yield switch (token.text()) {
              case "true" -> new Node.Literal(Boolean.TRUE);
              case "false" -> new Node.Literal(Boolean.FALSE);
              case "nil" -> new Node.Literal(null);
              default -> {
                if (!functions.contains(token.text())) {
                  throw new GoTemplateException("function \"" + token.text() + "\" not defined");
                }
                yield new Node.Identifier(token.text());
              }
            };
          }
          default ->
              throw new GoTemplateException("unexpected \"" + token.text() + "\" in operand");
        };
    return operand;
  }

  /** Collects adjacent .field tokens, optionally starting with one already read. */
  private List<String> fieldChain(String first) {
    List<String> names = new ArrayList<>();
    if (first != null) {
      names.add(first);
    }
    while (pos < tokens.size() && tokens.get(pos).kind() == Kind.FIELD) {
      names.add(tokens.get(pos++).text());
    }
    return names;
  }

  private void closeAction() throws GoTemplateException {
    skipSpace();
    Token token = next();
    if (token.kind() != Kind.ACTION_END) {
      throw new GoTemplateException("unexpected \"" + token.text() + "\" in action");
    }
  }

  private void expect(Kind kind) throws GoTemplateException {
    Token token = next();
    if (token.kind() != kind) {
      throw new GoTemplateException("unexpected " + token.text());
    }
  }

  private void skipSpace() {
    while (pos < tokens.size() && tokens.get(pos).kind() == Kind.SPACE) {
      pos++;
    }
  }

  private Token peek() throws GoTemplateException {
    if (pos >= tokens.size()) {
      throw new GoTemplateException("unexpected EOF");
    }
    return tokens.get(pos);
  }

  private Token next() throws GoTemplateException {
    Token token = peek();
    pos++;
    return token;
  }

  private static String stringLiteral(Token token) throws GoTemplateException {
    String text = token.text();
    if (token.kind() != Kind.STRING) {
      throw new GoTemplateException("expected a string, found " + text);
    }
    if (text.startsWith("`")) {
      return text.substring(1, text.length() - 1);
    }
    return unquote(text.substring(1, text.length() - 1));
  }

  private static Object charLiteral(String text) throws GoTemplateException {
    String body = unquote(text.substring(1, text.length() - 1));
    if (body.codePointCount(0, body.length()) != 1) {
      throw new GoTemplateException("malformed character constant: " + text);
    }
    return (long) body.codePointAt(0);
  }

  static String unquote(String body) throws GoTemplateException {
    StringBuilder out = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (++i >= body.length()) {
        throw new GoTemplateException("bad escape at end of string");
      }
      char e = body.charAt(i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'a' -> out.append('\u0007');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'v' -> out.append('\u000b');
        case '\\', '"', '\'' -> out.append(e);
        case 'x' -> {
          out.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          out.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
          i += 4;
        }
        case 'U' -> {
          out.appendCodePoint(Integer.parseInt(body.substring(i + 1, i + 9), 16));
          i += 8;
        }
        default -> throw new GoTemplateException("unknown escape sequence: \\" + e);
      }
    }
    return out.toString();
  }

  private static Object number(String text) throws GoTemplateException {
    String clean = text.replace("_", "");
    try {
      String lower = clean.toLowerCase();
      boolean negative = lower.startsWith("-");
      String digits = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
      if (digits.startsWith("0x")) {
        long v = Long.parseLong(digits.substring(2), 16);
        return negative ? -v : v;
      }
      if (digits.startsWith("0b")) {
        long v = Long.parseLong(digits.substring(2), 2);
        return negative ? -v : v;
      }
      if (digits.startsWith("0o")) {
        long v = Long.parseLong(digits.substring(2), 8);
        return negative ? -v : v;
      }
      if (digits.contains(".") || digits.contains("e")) {
        return Double.parseDouble(clean);
      }
      if (digits.length() > 1 && digits.startsWith("0")) {
        long v = Long.parseLong(digits.substring(1), 8);
        return negative ? -v : v;
      }
      return Long.parseLong(clean);
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new GoTemplateException("bad number syntax: \"" + text + "\"");
    }
  }
}
