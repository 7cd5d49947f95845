package dev.flotilla.simulator.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodLogsTest {

  private static final Instant START = Instant.parse("2026-12-05T10:00:00Z");
  private final PodLogs logs = new PodLogs(Duration.ofSeconds(5));

  private static ObjectNode pod(String state) {
    return SimFixture.yaml(
        """
        metadata: {name: web-1, namespace: default, uid: u-1}
        spec:
          nodeName: sim-node-2
          containers: [{name: main, image: "nginx:1.27"}, {name: side, image: "busybox"}]
        status:
          containerStatuses:
          - name: main
            %s
          - name: side
            state: {waiting: {reason: ContainerCreating}}
        """
            .formatted(state));
  }

  private static final String RUNNING = "state: {running: {startedAt: \"2026-12-05T10:00:00Z\"}}";

  @Test
  void aRunningContainerLogsAStartLineThenOneRequestPerInterval() {
    List<String> lines = logs.lines(pod(RUNNING), "main", null, START.plusSeconds(12));

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .isEqualTo(
            "2026-12-05T10:00:00.000Z INFO starting container main image=nginx:1.27"
                + " node=sim-node-2 (SIMULATED)");
    assertThat(lines.get(1)).startsWith("2026-12-05T10:00:05.000Z INFO simulated request handled");
    assertThat(lines.get(2)).startsWith("2026-12-05T10:00:10.000Z INFO simulated request handled");
    assertThat(logs.lines(pod(RUNNING), "main", null, START.plusSeconds(12))).isEqualTo(lines);
  }

  @Test
  void tailLinesAndSinceKeepTheNewestLines() {
    Instant now = START.plus(Duration.ofHours(2));
    List<String> all = logs.lines(pod(RUNNING), "main", null, now);
    assertThat(all).hasSize(1 + 2 * 720);

    assertThat(logs.lines(pod(RUNNING), "main", 2, now))
        .isEqualTo(all.subList(all.size() - 2, all.size()));
    assertThat(logs.lines(pod(RUNNING), "main", 0, now)).isEmpty();
    List<String> recent = logs.lines(pod(RUNNING), "main", null, now.minusSeconds(10), now);
    assertThat(recent).hasSize(3).allMatch(l -> l.contains("simulated request handled"));
    assertThat(recent.get(0)).startsWith("2026-12-05T11:59:50.000Z");
  }

  @Test
  void aLongRunningContainerIsCappedAtTheNewestLines() {
    List<String> lines = logs.lines(pod(RUNNING), "main", null, START.plus(Duration.ofDays(30)));
    assertThat(lines).hasSize(PodLogs.MAX_LINES);
    assertThat(lines.get(lines.size() - 1)).startsWith("2027-01-04T10:00:00.000Z");
  }

  @Test
  void aCrashedContainerEndsWithItsCrash() {
    String crashed =
        """
        state: {waiting: {reason: CrashLoopBackOff}}
            lastState: {terminated: {exitCode: 1, reason: Error, startedAt: "2026-12-05T10:00:00Z", finishedAt: "2026-12-05T10:00:07Z"}}""";
    List<String> lines = logs.lines(pod(crashed), "main", null, START.plusSeconds(60));
    assertThat(lines).hasSize(3);
    assertThat(lines.get(2))
        .isEqualTo(
            "2026-12-05T10:00:07.000Z ERROR simulated crash (image name contains \"crashloop\"),"
                + " exiting with code 1");
  }

  @Test
  void unknownOrWaitingContainersAreRefusedWithTheApiServersWords() {
    assertThatThrownBy(() -> logs.lines(pod(RUNNING), "nope", null, START))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("container nope is not valid for pod web-1");
    assertThatThrownBy(() -> logs.lines(pod(RUNNING), null, null, START))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a container name must be specified for pod web-1, choose one of: [main side]");
    assertThatThrownBy(() -> logs.lines(pod(RUNNING), "side", null, START))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("container \"side\" in pod \"web-1\" is waiting to start: ContainerCreating");
  }
}
