package dev.flotilla.core.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DigestsTest {

  record Case(String algorithm, String text, String hex) {}

  // Published test vectors (FIPS 180 examples and the empty string), so stored hashes stay valid.
  static Stream<Case> vectors() {
    return Stream.of(
        new Case("SHA-256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        new Case(
            "SHA-256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        new Case("SHA-1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        new Case(
            "SHA-512",
            "abc",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"));
  }

  @ParameterizedTest(name = "{0} of ''{1}''")
  @MethodSource("vectors")
  void hexMatchesPublishedVectors(Case c) {
    assertThat(Digests.hex(c.algorithm(), c.text())).isEqualTo(c.hex());
    if (c.algorithm().equals("SHA-256")) {
      assertThat(Digests.sha256Hex(c.text())).isEqualTo(c.hex());
      assertThat(Digests.sha256Hex(c.text(), 6)).isEqualTo(c.hex().substring(0, 12));
      assertThat(Digests.sha256Hex(c.text(), 32)).isEqualTo(c.hex());
    }
  }

  @Test
  void textIsHashedAsUtf8() {
    assertThat(Digests.sha256("é"))
        .isEqualTo(Digests.sha256().digest("é".getBytes(StandardCharsets.UTF_8)));
    assertThat(HexFormat.of().formatHex(Digests.sha256("abc"))).isEqualTo(Digests.sha256Hex("abc"));
  }

  @Test
  void refusesImpossiblePrefixesAndUnknownAlgorithms() {
    assertThatThrownBy(() -> Digests.sha256Hex("x", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a SHA-256 prefix has 1 to 32 bytes, not 0");
    assertThatThrownBy(() -> Digests.sha256Hex("x", 33))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not 33");
    assertThatThrownBy(() -> Digests.hex("SHA-7", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no digest algorithm 'SHA-7' in this JRE");
  }
}
