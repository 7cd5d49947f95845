package dev.flotilla.controlplane.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.controlplane.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeysetTokenTest {

  @Test
  void roundTripsToTheMicrosecond() {
    KeysetToken key = new KeysetToken(Instant.parse("2026-11-22T10:00:00.123456Z"), 42);
    assertThat(KeysetToken.decode(key.encode(), "pageToken")).isEqualTo(key);
  }

  @Test
  void absentMeansTheFirstPage() {
    assertThat(KeysetToken.decode(null, "pageToken")).isNull();
    assertThat(KeysetToken.decode("", "pageToken")).isNull();
  }

  @Test
  void badTokensAreRefusedNamingTheParameter() {
    String noSeparator =
        Base64.getUrlEncoder()
            .encodeToString("2026-11-22T10:00:00Z".getBytes(StandardCharsets.UTF_8));
    String badTime =
        Base64.getUrlEncoder().encodeToString("yesterday|3".getBytes(StandardCharsets.UTF_8));
    for (String bad : List.of("%%%", "not base64!", noSeparator, badTime)) {
      assertThatThrownBy(() -> KeysetToken.decode(bad, "page_token"))
          .as(bad)
          .isInstanceOf(ApiException.class)
          .hasMessageStartingWith("page_token: ");
    }
  }
}
