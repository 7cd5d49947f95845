package dev.flotilla.cli;

import dev.flotilla.core.cli.TerminalText;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table with aligned columns, for humans reading a terminal. Cells come from names,
 * file names and messages others wrote, so control characters are shown escaped ({@code \\e} for
 * ESC, {@code \\uXXXX} for the rest) rather than sent raw to the terminal, where an escape sequence
 * could rewrite the screen, change the title or hide rows.
 */
final class Table {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  Table(String... headers) {
    this.headers = List.of(headers);
  }

  Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c == null ? "" : escape(String.valueOf(c)));
    }
    rows.add(r);
    return this;
  }

  /** {@code text} with every control character escaped: see {@link TerminalText#escape}. */
  static String escape(String text) {
    return TerminalText.escape(text);
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> r : rows) {
        widths[i] = Math.max(widths[i], r.get(i).length());
      }
    }
    line(out, headers, widths);
    rows.forEach(r -> line(out, r, widths));
  }

  private static void line(PrintStream out, List<String> cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      sb.append(cell);
      if (i < cells.size() - 1) {
        sb.append(" ".repeat(widths[i] - cell.length() + 2));
      }
    }
    out.println(sb.toString().stripTrailing());
  }
}
