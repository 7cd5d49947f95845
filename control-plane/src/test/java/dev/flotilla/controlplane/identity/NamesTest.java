package dev.flotilla.controlplane.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"web", "web-prod", "a", "0", "web.prod.eu", "a-b.c-d", "x1"})
  void dnsSubdomainsAreAccepted(String name) {
    assertThat(Names.requireDnsSubdomain("metadata.name", name)).isEqualTo(name);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        "Web",
        "a_b",
        "-a",
        "a-",
        ".a",
        "a.",
        "a..b",
        "a.-b",
        "../../etc/passwd",
        "a/b",
        "a b",
        "x; DROP TABLE x; --",
        "\u001b[31m",
        "é"
      })
  void otherNamesAreRefusedNamingTheFieldAndTheRule(String name) {
    assertThatThrownBy(() -> Names.requireDnsSubdomain("metadata.name", name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("metadata.name: ")
        .hasMessageContaining("DNS-1123 subdomain")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {253, 254})
  void dnsSubdomainsAreAtMost253Characters(int length) {
    String name = "a".repeat(length);
    if (length <= 253) {
      assertThat(Names.requireDnsSubdomain("n", name)).isEqualTo(name);
    } else {
      assertThatThrownBy(() -> Names.requireDnsSubdomain("n", name))
          .hasMessageContaining("at most 253");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"alice", "Alice.B", "alice@example.com", "ci_bot-2", "a"})
  void accountNamesMayBeEmailAddresses(String name) {
    assertThat(Names.requireName("name", name)).isEqualTo(name);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"../x", "a/b", "a..b", "a b", "a%2F", "_a", "a@", "名前", "a:b", "a'b"})
  void accountNamesOutsideTheRuleAreRefused(String name) {
    assertThatThrownBy(() -> Names.requireName("name", name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name: ");
  }
}
