package dev.flotilla.controlplane.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.query.KeysetToken;
import dev.flotilla.proto.api.v1.DriftReportRequest;
import dev.flotilla.proto.api.v1.DriftedResource;
import dev.flotilla.proto.api.v1.WatchDriftRequest;
import io.grpc.Status;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Request checks and message mapping of the gRPC DriftService, without a server. */
class DriftGrpcServiceTest {

  record Bad(String name, DriftReportRequest request, String field) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Bad> badRequests() {
    return Stream.of(
        new Bad("negative limit", DriftReportRequest.newBuilder().setLimit(-1).build(), "limit"),
        new Bad("limit too big", DriftReportRequest.newBuilder().setLimit(1001).build(), "limit"),
        new Bad("negative offset", DriftReportRequest.newBuilder().setOffset(-5).build(), "offset"),
        new Bad(
            "offset too big",
            DriftReportRequest.newBuilder().setOffset(1_000_001).build(),
            "offset"),
        new Bad(
            "page token not from this list",
            DriftReportRequest.newBuilder().setPageToken("bogus").build(),
            "page_token"),
        new Bad(
            "long cluster",
            DriftReportRequest.newBuilder().setCluster("c".repeat(254)).build(),
            "cluster"),
        new Bad(
            "control character in project",
            DriftReportRequest.newBuilder().setProject("a\nb").build(),
            "project"),
        new Bad(
            "NUL in application",
            DriftReportRequest.newBuilder().setApplication("a\0").build(),
            "application"),
        new Bad(
            "control character in kind",
            DriftReportRequest.newBuilder().setKind("Config\tMap").build(),
            "kind"),
        new Bad(
            "since nanos out of range",
            DriftReportRequest.newBuilder()
                .setSince(Timestamp.newBuilder().setSeconds(1).setNanos(-1))
                .build(),
            "since"),
        new Bad(
            "since after year 9999",
            DriftReportRequest.newBuilder()
                .setSince(Timestamp.newBuilder().setSeconds(253_402_300_800L))
                .build(),
            "since"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badValuesAreInvalidArgumentsNamingTheField(Bad b) {
    assertThatThrownBy(() -> DriftGrpcService.query(b.request()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(b.field() + ":")
        .satisfies(
            e ->
                assertThat(GrpcErrors.toStatus(e).getStatus().getCode())
                    .isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  @Test
  void emptyFieldsMeanAnyAndZeroLimitTheDefault() {
    assertThat(DriftGrpcService.query(DriftReportRequest.getDefaultInstance()))
        .isEqualTo(DriftQuery.all());
    DriftQuery q =
        DriftGrpcService.query(
            DriftReportRequest.newBuilder()
                .setCluster("east")
                .setProject("billing")
                .setApplication("web")
                .setKind("ConfigMap")
                .setHealed(false)
                .setSince(Timestamp.newBuilder().setSeconds(1_800_000_000L).setNanos(5))
                .setLimit(7)
                .setOffset(14)
                .build());
    assertThat(q)
        .isEqualTo(
            new DriftQuery(
                "east",
                "billing",
                "web",
                "ConfigMap",
                false,
                Instant.ofEpochSecond(1_800_000_000L, 5),
                7,
                14));
  }

  @Test
  void aPageTokenBecomesTheKeyToContinueAfter() {
    KeysetToken key = new KeysetToken(Instant.parse("2026-11-01T00:05:00.000001Z"), 42);
    DriftQuery q =
        DriftGrpcService.query(
            DriftReportRequest.newBuilder().setPageToken(key.encode()).setLimit(2).build());
    assertThat(q.after()).isEqualTo(key);
    assertThat(q.limit()).isEqualTo(2);
  }

  @Test
  void watchFiltersAreCheckedTheSameWay() {
    assertThatThrownBy(
            () ->
                DriftGrpcService.filter(
                    WatchDriftRequest.newBuilder().setCluster("x".repeat(300)).build()))
        .hasMessageStartingWith("cluster:");
    DriftQuery f =
        DriftGrpcService.filter(
            WatchDriftRequest.newBuilder().setProject("billing").setHealed(true).build());
    assertThat(f.project()).isEqualTo("billing");
    assertThat(f.healed()).isTrue();
    assertThat(f.cluster()).isNull();
  }

  @Test
  void aDriftedObjectBecomesATypedMessage() {
    DriftedObject o =
        new DriftedObject(
            "east",
            "billing",
            "web",
            "",
            "ConfigMap",
            "ns",
            "cm",
            "edited",
            "[{\"path\":\"/data/k\",\"desired\":\"\\\"v\\\"\",\"live\":\"\\\"w\\\"\"},"
                + "{\"path\":\"/spec/replicas\",\"desired\":2,\"live\":null}]",
            Instant.parse("2026-11-01T00:00:00Z"),
            Instant.parse("2026-11-01T00:05:00Z"),
            3,
            1,
            null,
            Instant.parse("2026-11-01T00:02:00Z"),
            null,
            "drift");
    DriftedResource r = DriftGrpcService.proto(o);
    assertThat(r.getFieldsCount()).isEqualTo(2);
    assertThat(r.getFields(0).getPath()).isEqualTo("/data/k");
    assertThat(r.getFields(0).getDesired()).isEqualTo("\"v\"");
    assertThat(r.getFields(0).getLive()).isEqualTo("\"w\"");
    assertThat(r.getFields(1).getDesired()).isEqualTo("2");
    assertThat(r.getFields(1).getLive()).isEmpty();
    assertThat(r.getOccurrences()).isEqualTo(3);
    assertThat(r.getRecurrences()).isEqualTo(2);
    assertThat(r.getDriftKind()).isEqualTo("drift");
    assertThat(r.getHealedBy()).as("still open").isEmpty();
    assertThat(r.getHeals()).isEqualTo(1);
    assertThat(r.getHealed()).isFalse();
    assertThat(r.hasHealedAt()).isFalse();
    assertThat(r.getLastHealedAt().getSeconds())
        .isEqualTo(Instant.parse("2026-11-01T00:02:00Z").getEpochSecond());
    assertThat(r.getFirstSeenAt().getSeconds())
        .isEqualTo(Instant.parse("2026-11-01T00:00:00Z").getEpochSecond());
  }
}
