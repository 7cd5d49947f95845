package dev.flotilla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TableTest {

  record Case(String name, String cell, String shown) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("plain text is unchanged", "web-prod", "web-prod"),
        new Case("unicode is unchanged", "名前 ünï", "名前 ünï"),
        new Case("colour escape", "\u001b[31mred\u001b[0m", "\\e[31mred\\e[0m"),
        new Case("title-setting OSC", "\u001b]0;owned\u0007x", "\\e]0;owned\\u0007x"),
        new Case("clear screen", "\u001b[2J", "\\e[2J"),
        new Case("newline forging a row", "a\nb", "a\\nb"),
        new Case("carriage return hiding text", "safe\rEVIL", "safe\\rEVIL"),
        new Case("tab", "a\tb", "a\\tb"),
        new Case("NUL", "a\u0000b", "a\\u0000b"),
        new Case("DEL", "a\u007fb", "a\\u007fb"),
        new Case("C1 CSI", "a\u009b31mb", "a\\u009b31mb"),
        new Case("backslash kept", "a\\b", "a\\b"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void controlCharactersInCellsAreShownEscaped(Case c) {
    assertThat(Table.escape(c.cell())).isEqualTo(c.shown());
    String printed = print(new Table("NAME", "STATUS").row(c.cell(), "ok"));
    assertThat(printed).contains(c.shown());
    assertThat(printed.chars().filter(ch -> ch != '\n' && Character.isISOControl(ch)))
        .as("no raw control character reaches the terminal")
        .isEmpty();
  }

  @Test
  void columnsAlignOnTheEscapedText() {
    String printed = print(new Table("NAME", "STATUS").row("\u001b[2J", "ok").row("abcdefgh", "x"));
    assertThat(printed.lines()).containsExactly("NAME      STATUS", "\\e[2J     ok", "abcdefgh  x");
  }

  private static String print(Table table) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    table.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }
}
