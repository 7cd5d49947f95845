package dev.flotilla.controlplane.identity;

import static dev.flotilla.controlplane.identity.IdentityProtos.orNull;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.query.KeysetToken;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.proto.api.v1.AuditServiceGrpc;
import dev.flotilla.proto.api.v1.ListAuditRequest;
import dev.flotilla.proto.api.v1.ListAuditResponse;
import io.grpc.stub.StreamObserver;

/** {@code flotilla.api.v1.AuditService} over the same {@link AuditService} as REST. */
public final class AuditGrpcService extends AuditServiceGrpc.AuditServiceImplBase {

  private final AuditService audit;

  public AuditGrpcService(AuditService audit) {
    this.audit = audit;
  }

  @Override
  public void list(ListAuditRequest r, StreamObserver<ListAuditResponse> out) {
    GrpcErrors.replyChecked(
        () -> {
          int size = PageRequest.of(r.getPageSize(), "", "page_size").size();
          AuditQuery query =
              new AuditQuery(
                  orNull(r.getActor()),
                  orNull(r.getKind()),
                  orNull(r.getObject()),
                  r.hasSince() ? IdentityProtos.instant("since", r.getSince()) : null,
                  r.hasUntil() ? IdentityProtos.instant("until", r.getUntil()) : null,
                  AuditQuery.MAX_LIMIT,
                  KeysetToken.decode(r.getPageToken(), "page_token"));
          return audit.list(Callers.current(), query, size);
        },
        page ->
            ListAuditResponse.newBuilder()
                .addAllEntries(page.entries().stream().map(IdentityProtos::auditEntry).toList())
                .setNextPageToken(page.nextPageToken())
                .build(),
        out);
  }
}
