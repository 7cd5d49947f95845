package dev.flotilla.controlplane.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DriftCsvTest {

  record Case(String name, String value, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cells() {
    return Stream.of(
        new Case("plain", "web", "web"),
        new Case("empty", "", ""),
        new Case("null", null, ""),
        new Case("comma", "a,b", "\"a,b\""),
        new Case("quote", "say \"hi\"", "\"say \"\"hi\"\"\""),
        new Case("JSON string", "\"v\"", "\"\"\"v\"\"\""),
        new Case("newline", "a\nb", "\"a\nb\""),
        new Case("CRLF", "a\r\nb", "\"a\r\nb\""),
        new Case("formula =", "=1+2", "'=1+2"),
        new Case("formula +", "+1", "'+1"),
        new Case("formula -", "-2", "'-2"),
        new Case("formula @", "@SUM(A1)", "'@SUM(A1)"),
        new Case("formula tab", "\t=1", "'\t=1"),
        new Case("formula CR", "\r=1", "\"'\r=1\""),
        new Case(
            "formula that also needs quotes",
            "=HYPERLINK(\"http://x\",\"y\")",
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        new Case("equals later is harmless", "a=b", "a=b"),
        new Case("timestamp", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cells")
  void cellsAreQuotedAndDefused(Case c) {
    assertThat(DriftCsv.cell(c.value())).isEqualTo(c.expected());
  }
}
