package dev.flotilla.core.cli;

/**
 * Text from outside (a file name, a server's error, a user's input) made safe to print on a
 * terminal: the server command and the CLI print errors through it, so an escape sequence in a
 * message can never drive the terminal.
 */
public final class TerminalText {

  private TerminalText() {}

  /**
   * {@code text} with every control character (C0, DEL and C1) escaped: ESC as {@code \\e}, tab,
   * newline and carriage return as {@code \\t}, {@code \\n}, {@code \\r}, others as {@code
   * \\uXXXX}; a backslash stays as it is.
   */
  public static String escape(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isISOControl(c)) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      switch (c) {
        case 0x1b -> out.append("\\e");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out == null ? text : out.toString();
  }
}
