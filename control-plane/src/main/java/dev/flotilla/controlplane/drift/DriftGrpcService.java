package dev.flotilla.controlplane.drift;

import com.google.protobuf.Timestamp;
import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.query.KeysetToken;
import dev.flotilla.proto.api.v1.DriftCount;
import dev.flotilla.proto.api.v1.DriftField;
import dev.flotilla.proto.api.v1.DriftReportRequest;
import dev.flotilla.proto.api.v1.DriftReportResponse;
import dev.flotilla.proto.api.v1.DriftServiceGrpc;
import dev.flotilla.proto.api.v1.DriftedResource;
import dev.flotilla.proto.api.v1.WatchDriftRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * {@code flotilla.api.v1.DriftService}: the drift report and a stream of new drift, with the same
 * filters, checks and caller scope as {@code GET /api/v1/drift}.
 */
public final class DriftGrpcService extends DriftServiceGrpc.DriftServiceImplBase {

  /** Earliest and latest instants a protobuf Timestamp may hold (0001-01-01 to 9999-12-31). */
  private static final long MIN_SECONDS = -62_135_596_800L;

  private static final long MAX_SECONDS = 253_402_300_799L;

  private final DriftService drift;

  public DriftGrpcService(DriftService drift) {
    this.drift = drift;
  }

  @Override
  public void report(DriftReportRequest r, StreamObserver<DriftReportResponse> out) {
    DriftQuery query;
    try {
      query = query(r);
    } catch (IllegalArgumentException e) {
      out.onError(GrpcErrors.toStatus(e));
      return;
    }
    GrpcErrors.reply(drift.report(Callers.current(), query), DriftGrpcService::proto, out);
  }

  /** Each newly stored drift the caller may see that matches, until the caller cancels. */
  @Override
  public void watch(WatchDriftRequest r, StreamObserver<DriftedResource> out) {
    DriftQuery filter;
    try {
      filter = filter(r);
    } catch (IllegalArgumentException e) {
      out.onError(GrpcErrors.toStatus(e));
      return;
    }
    ServerCallStreamObserver<DriftedResource> call =
        (ServerCallStreamObserver<DriftedResource>) out;
    Object lock = new Object();
    AutoCloseable[] subscription = new AutoCloseable[1];
    subscription[0] =
        drift.watch(
            Callers.current(),
            filter,
            o -> {
              DriftedResource message = proto(o);
              synchronized (lock) {
                if (call.isCancelled()) {
                  return;
                }
                try {
                  call.onNext(message);
                } catch (RuntimeException e) {
                  close(subscription[0]); // the call ended between the check and the send
                }
              }
            });
    call.setOnCancelHandler(() -> close(subscription[0]));
    if (call.isCancelled()) {
      close(subscription[0]);
    }
  }

  private static void close(AutoCloseable subscription) {
    try {
      subscription.close();
    } catch (Exception ignored) {
      // Removing a listener cannot fail.
    }
  }

  static DriftQuery query(DriftReportRequest r) {
    if (r.getLimit() < 0 || r.getLimit() > DriftQuery.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit: must be between 0 and "
              + DriftQuery.MAX_LIMIT
              + " (0 means "
              + DriftQuery.DEFAULT_LIMIT
              + ")");
    }
    if (r.getOffset() < 0 || r.getOffset() > DriftQuery.MAX_OFFSET) {
      throw new IllegalArgumentException("offset: must be between 0 and " + DriftQuery.MAX_OFFSET);
    }
    return new DriftQuery(
        name("cluster", r.getCluster()),
        name("project", r.getProject()),
        name("application", r.getApplication()),
        name("kind", r.getKind()),
        r.hasHealed() ? r.getHealed() : null,
        r.hasSince() ? instant("since", r.getSince()) : null,
        r.getLimit() == 0 ? DriftQuery.DEFAULT_LIMIT : r.getLimit(),
        r.getOffset(),
        pageToken(r.getPageToken()));
  }

  private static KeysetToken pageToken(String value) {
    try {
      return KeysetToken.decode(value, "page_token");
    } catch (ApiException e) {
      // Bad requests are reported here as IllegalArgumentException, as for every other field.
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static DriftQuery filter(WatchDriftRequest r) {
    return DriftQuery.all()
        .withCluster(name("cluster", r.getCluster()))
        .withProject(name("project", r.getProject()))
        .withApplication(name("application", r.getApplication()))
        .withKind(name("kind", r.getKind()))
        .withHealed(r.hasHealed() ? r.getHealed() : null);
  }

  /** Empty means any. */
  private static String name(String field, String value) {
    return value.isEmpty() ? null : DriftQuery.requireName(field, value);
  }

  private static Instant instant(String field, Timestamp t) {
    if (t.getSeconds() < MIN_SECONDS
        || t.getSeconds() > MAX_SECONDS
        || t.getNanos() < 0
        || t.getNanos() > 999_999_999) {
      throw new IllegalArgumentException(
          field + ": not a valid timestamp (years 1 to 9999, nanos 0 to 999999999)");
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static DriftReportResponse proto(DriftReport report) {
    var b =
        DriftReportResponse.newBuilder()
            .setTotal(report.total())
            .setLimit(report.limit())
            .setOffset(report.offset())
            .setNextPageToken(report.nextPageToken())
            .addAllByCluster(counts(report.byCluster()))
            .addAllByProject(counts(report.byProject()))
            .addAllByTeam(counts(report.byTeam()))
            .addAllOutOfSyncApplications(report.outOfSyncApplications());
    report.items().forEach(o -> b.addItems(proto(o)));
    if (report.nextOffset() != null) {
      b.setNextOffset(report.nextOffset());
    }
    return b.build();
  }

  private static List<DriftCount> counts(List<DriftTotal> totals) {
    return totals.stream()
        .map(
            t ->
                DriftCount.newBuilder()
                    .setKey(t.key())
                    .setObjects(t.objects())
                    .setUnhealed(t.unhealed())
                    .setEvents(t.events())
                    .build())
        .toList();
  }

  static DriftedResource proto(DriftedObject o) {
    var b =
        DriftedResource.newBuilder()
            .setCluster(o.cluster())
            .setProject(o.project())
            .setApplication(o.application())
            .setGroup(o.group())
            .setKind(o.kind())
            .setNamespace(o.namespace())
            .setName(o.name())
            .setChange(o.change())
            .setFirstSeenAt(timestamp(o.firstSeen()))
            .setLastSeenAt(timestamp(o.lastSeen()))
            .setOccurrences(o.occurrences())
            .setHeals(o.heals())
            .setHealed(o.healed())
            .setDriftKind(o.driftKind())
            .setRecurrences(o.recurrences());
    if (o.healedBy() != null) {
      b.setHealedBy(o.healedBy());
    }
    if (o.healedAt() != null) {
      b.setHealedAt(timestamp(o.healedAt()));
    }
    if (o.lastHealedAt() != null) {
      b.setLastHealedAt(timestamp(o.lastHealedAt()));
    }
    for (Object f : o.fields()) {
      if (f instanceof JsonObject field) {
        b.addFields(
            DriftField.newBuilder()
                .setPath(text(field.getValue("path")))
                .setDesired(text(field.getValue("desired")))
                .setLive(text(field.getValue("live"))));
      }
    }
    return b.build();
  }

  /** Values are stored as JSON text already; anything else is encoded to JSON text. */
  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    return value instanceof String s ? s : Json.encode(value);
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
