package dev.flotilla.controlplane.appset.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.proto.AgentLimits;
import org.junit.jupiter.api.Test;

class ApplicationSizeLimitTest {

  @Test
  void theLimitIsMeasuredInUtf8BytesAndNamedInTheError() {
    assertThat(ApplicationSizeLimit.violation("x".repeat(100), 100)).isEmpty();
    // 51 two-byte characters: 102 bytes although 51 chars.
    assertThat(ApplicationSizeLimit.violation("\u00e9".repeat(51), 100))
        .get()
        .asString()
        .startsWith("the generated Application is 102 bytes of JSON, more than the limit of 100")
        .contains("not stored or sent to its cluster");
    assertThat(ApplicationSizeLimit.utf8Length("a\u00e9\u20ac\ud83d\ude00")).isEqualTo(10);
  }

  @Test
  void theDefaultLimitStaysWellUnderWhatAnAgentAcceptsInOneMessage() {
    assertThat(AgentLimits.MAX_APPLICATION_BYTES * 4L).isLessThan(AgentLimits.MAX_MESSAGE_BYTES);
    assertThat(ApplicationSizeLimit.violation("x".repeat(AgentLimits.MAX_APPLICATION_BYTES)))
        .isEmpty();
    assertThat(ApplicationSizeLimit.violation("x".repeat(AgentLimits.MAX_APPLICATION_BYTES + 1)))
        .get()
        .asString()
        .contains("(2 MiB)");
  }
}
