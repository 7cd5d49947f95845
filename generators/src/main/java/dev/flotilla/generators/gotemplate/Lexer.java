package dev.flotilla.generators.gotemplate;

import java.util.ArrayList;
import java.util.List;

/** Splits a Go template into text and action tokens, applying {@code {{-} and {@code -}}} trims. */
final class Lexer {

  enum Kind {
    TEXT,
    ACTION_START,
    ACTION_END,
    IDENT,
    FIELD,
    DOT,
    VARIABLE,
    STRING,
    CHAR,
    NUMBER,
    LPAREN,
    RPAREN,
    PIPE,
    DECLARE,
    ASSIGN,
    COMMA,
    SPACE
  }

  record Token(Kind kind, String text, int position) {
    @Override
    public String toString() {
      return kind + "(" + text + ")";
    }
  }

  private final String input;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;

  private Lexer(String input) {
    this.input = input;
  }

  static List<Token> lex(String input) throws GoTemplateException {
    Lexer lexer = new Lexer(input);
    lexer.run();
    return lexer.tokens;
  }

  private void run() throws GoTemplateException {
    boolean trimNextText = false;
    while (pos < input.length()) {
      int start = input.indexOf("{{", pos);
      String text = start < 0 ? input.substring(pos) : input.substring(pos, start);
      if (trimNextText) {
        text = stripLeading(text);
      }
      if (start < 0) {
        if (!text.isEmpty()) {
          tokens.add(new Token(Kind.TEXT, text, pos));
        }
        pos = input.length();
        break;
      }
      int inner = start + 2;
      boolean trimLeft =
          input.startsWith("- ", inner)
              || input.startsWith("-\t", inner)
              || input.startsWith("-\n", inner)
              || input.startsWith("-\r", inner);
      if (trimLeft) {
        text = stripTrailing(text);
        inner += 2;
      }
      if (!text.isEmpty()) {
        tokens.add(new Token(Kind.TEXT, text, pos));
      }
      pos = inner;
      // Comments: {{/* ... */}}, optionally with trim markers around them.
      int commentProbe = pos;
      while (commentProbe < input.length()
          && Character.isWhitespace(input.charAt(commentProbe))
          && trimLeft) {
        commentProbe++;
      }
      if (input.startsWith("/*", commentProbe)) {
        int close = input.indexOf("*/", commentProbe + 2);
        if (close < 0) {
          throw new GoTemplateException("unclosed comment");
        }
        int after = close + 2;
        boolean trimRight = false;
        if (input.startsWith(" -}}", after)) {
          trimRight = true;
          after += 4;
        } else if (input.startsWith("}}", after)) {
          after += 2;
        } else {
          throw new GoTemplateException("comment ends before closing delimiter");
        }
        pos = after;
        trimNextText = trimRight;
        continue;
      }
      tokens.add(new Token(Kind.ACTION_START, "{{", start));
      trimNextText = lexAction();
    }
  }

  /** Lexes inside an action up to and including its closing delimiter; returns the right trim. */
  private boolean lexAction() throws GoTemplateException {
    while (true) {
      if (pos >= input.length()) {
        throw new GoTemplateException("unclosed action");
      }
      char c = input.charAt(pos);
      if (isSpace(c)) {
        int start = pos;
        while (pos < input.length() && isSpace(input.charAt(pos))) {
          pos++;
        }
        if (input.startsWith("-}}", pos)) {
          pos += 3;
          tokens.add(new Token(Kind.ACTION_END, "}}", start));
          return true;
        }
        tokens.add(new Token(Kind.SPACE, " ", start));
        continue;
      }
      if (input.startsWith("}}", pos)) {
        tokens.add(new Token(Kind.ACTION_END, "}}", pos));
        pos += 2;
        return false;
      }
      int start = pos;
      switch (c) {
        case '(' -> add(Kind.LPAREN, 1);
        case ')' -> add(Kind.RPAREN, 1);
        case '|' -> add(Kind.PIPE, 1);
        case ',' -> add(Kind.COMMA, 1);
        case '=' -> add(Kind.ASSIGN, 1);
        case ':' -> {
          if (!input.startsWith(":=", pos)) {
            throw new GoTemplateException("expected :=");
          }
          add(Kind.DECLARE, 2);
        }
        case '"' -> {
          pos++;
          while (pos < input.length() && input.charAt(pos) != '"') {
            if (input.charAt(pos) == '\\') {
              pos++;
            }
            if (pos < input.length() && input.charAt(pos) == '\n') {
              throw new GoTemplateException("unterminated quoted string");
            }
            pos++;
          }
          if (pos >= input.length()) {
            throw new GoTemplateException("unterminated quoted string");
          }
          pos++;
          tokens.add(new Token(Kind.STRING, input.substring(start, pos), start));
        }
        case '`' -> {
          int close = input.indexOf('`', pos + 1);
          if (close < 0) {
            throw new GoTemplateException("unterminated raw quoted string");
          }
          pos = close + 1;
          tokens.add(new Token(Kind.STRING, input.substring(start, pos), start));
        }
        case '\'' -> {
          pos++;
          while (pos < input.length() && input.charAt(pos) != '\'') {
            if (input.charAt(pos) == '\\') {
              pos++;
            }
            pos++;
          }
          if (pos >= input.length()) {
            throw new GoTemplateException("unterminated character constant");
          }
          pos++;
          tokens.add(new Token(Kind.CHAR, input.substring(start, pos), start));
        }
        case '$' -> {
          pos++;
          while (pos < input.length() && isAlphaNumeric(input.charAt(pos))) {
            pos++;
          }
          tokens.add(new Token(Kind.VARIABLE, input.substring(start, pos), start));
        }
        case '.' -> {
          if (pos + 1 < input.length() && Character.isDigit(input.charAt(pos + 1))) {
            lexNumber();
          } else {
            pos++;
            if (pos < input.length() && isAlphaNumeric(input.charAt(pos))) {
              while (pos < input.length() && isAlphaNumeric(input.charAt(pos))) {
                pos++;
              }
              tokens.add(new Token(Kind.FIELD, input.substring(start + 1, pos), start));
            } else {
              tokens.add(new Token(Kind.DOT, ".", start));
            }
          }
        }
        default -> {
          if (Character.isDigit(c)
              || ((c == '-' || c == '+')
                  && pos + 1 < input.length()
                  && (Character.isDigit(input.charAt(pos + 1)) || input.charAt(pos + 1) == '.'))) {
            lexNumber();
          } else if (isAlphaNumeric(c)) {
            while (pos < input.length() && isAlphaNumeric(input.charAt(pos))) {
              pos++;
            }
            tokens.add(new Token(Kind.IDENT, input.substring(start, pos), start));
          } else {
            throw new GoTemplateException("unexpected \"" + c + "\" in command");
          }
        }
      }
    }
  }

  private void lexNumber() {
    int start = pos;
    if (input.charAt(pos) == '-' || input.charAt(pos) == '+') {
      pos++;
    }
    while (pos < input.length()) {
      char c = input.charAt(pos);
      boolean exponentSign =
          (c == '-' || c == '+')
              && pos > start
              && (input.charAt(pos - 1) == 'e' || input.charAt(pos - 1) == 'E')
              && !input.substring(start, pos).toLowerCase().startsWith("0x");
      if (isAlphaNumeric(c) || c == '.' || exponentSign) {
        pos++;
      } else {
        break;
      }
    }
    tokens.add(new Token(Kind.NUMBER, input.substring(start, pos), start));
  }

  private void add(Kind kind, int length) {
    tokens.add(new Token(kind, input.substring(pos, pos + length), pos));
    pos += length;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static boolean isAlphaNumeric(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static String stripLeading(String text) {
    int i = 0;
    while (i < text.length() && isSpace(text.charAt(i))) {
      i++;
    }
    return text.substring(i);
  }

  private static String stripTrailing(String text) {
    int i = text.length();
    while (i > 0 && isSpace(text.charAt(i - 1))) {
      i--;
    }
    return text.substring(0, i);
  }
}
