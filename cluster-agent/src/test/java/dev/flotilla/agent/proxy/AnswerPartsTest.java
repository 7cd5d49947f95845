package dev.flotilla.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.agent.v1.LogLine;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerPartsTest {

  @Test
  void aLargeAnswerIsCutIntoNumberedPartsUnderTheBudgetOnlyTheLastMarkedLast() {
    List<LogLine> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add(LogLine.newBuilder().setPod("p").setText("x".repeat(10_000)).build());
    }

    List<ResourceResponse> parts = AnswerParts.split("id-1", "", lines, 0, true);

    assertThat(parts).hasSizeGreaterThan(3);
    for (int i = 0; i < parts.size(); i++) {
      assertThat(parts.get(i).getPart()).isEqualTo(i);
      assertThat(parts.get(i).getLast()).isEqualTo(i == parts.size() - 1);
      assertThat(parts.get(i).getSerializedSize())
          .isLessThan(ResourceProxyLimits.PART_BYTES + 1024);
    }
    assertThat(parts.stream().mapToInt(ResourceResponse::getLogLinesCount).sum()).isEqualTo(200);
  }

  @Test
  void anAnswerOverTheLimitIsRefusedWholeNamingTheLimit() {
    List<LogLine> lines = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      lines.add(LogLine.newBuilder().setText("x".repeat(16_000)).build());
    }

    assertThatThrownBy(() -> AnswerParts.split("id-2", "", lines, 0, true))
        .isInstanceOf(ProxyException.class)
        .hasMessageContaining("over the agent's limit of " + ResourceProxyLimits.MAX_ANSWER_BYTES)
        .satisfies(e -> assertThat(((ProxyException) e).code()).isEqualTo("RESOURCE_EXHAUSTED"));
  }

  @Test
  void anEmptyAnswerIsOneLastPart() {
    List<ResourceResponse> parts = AnswerParts.split("id-3", "abc", List.of(), 0, true);
    assertThat(parts).singleElement().satisfies(p -> assertThat(p.getLast()).isTrue());
    assertThat(parts.get(0).getRevision()).isEqualTo("abc");
  }
}
