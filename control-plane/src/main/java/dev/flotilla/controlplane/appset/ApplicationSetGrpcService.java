package dev.flotilla.controlplane.appset;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.appset.ApplicationSetRepository.StoredApplicationSet;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.proto.api.v1.ApplicationSet;
import dev.flotilla.proto.api.v1.ApplicationSetName;
import dev.flotilla.proto.api.v1.ApplicationSetServiceGrpc;
import dev.flotilla.proto.api.v1.ApplyRequest;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.GenerateResponse;
import dev.flotilla.proto.api.v1.GenerationError;
import dev.flotilla.proto.api.v1.ListApplicationSetsRequest;
import dev.flotilla.proto.api.v1.ListApplicationSetsResponse;
import io.grpc.stub.StreamObserver;

/**
 * {@code flotilla.api.v1.ApplicationSetService}, including a dry-run generate that stores nothing.
 */
public final class ApplicationSetGrpcService
    extends ApplicationSetServiceGrpc.ApplicationSetServiceImplBase {

  private final ApplicationSetCatalog catalog;

  public ApplicationSetGrpcService(ApplicationSetCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public void apply(ApplyRequest r, StreamObserver<ApplicationSet> out) {
    GrpcErrors.reply(
        catalog.apply(Callers.current(), r.getDocument(), null),
        ApplicationSetGrpcService::proto,
        out);
  }

  @Override
  public void get(ApplicationSetName r, StreamObserver<ApplicationSet> out) {
    GrpcErrors.reply(
        catalog.get(Callers.current(), r.getName()), ApplicationSetGrpcService::proto, out);
  }

  @Override
  public void list(ListApplicationSetsRequest r, StreamObserver<ListApplicationSetsResponse> out) {
    GrpcErrors.replyChecked(
        () ->
            catalog.list(
                Callers.current(),
                r.getProject(),
                LabelSelectors.parse(r.getLabelSelector(), "label_selector"),
                PageRequest.of(r.getPageSize(), r.getPageToken(), "page_size")),
        p ->
            ListApplicationSetsResponse.newBuilder()
                .addAllApplicationSets(
                    p.items().stream().map(ApplicationSetGrpcService::proto).toList())
                .setNextPageToken(p.nextPageToken())
                .build(),
        out);
  }

  @Override
  public void delete(ApplicationSetName r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        catalog.delete(Callers.current(), r.getName()), v -> Empty.getDefaultInstance(), out);
  }

  @Override
  public void generate(ApplyRequest r, StreamObserver<GenerateResponse> out) {
    GrpcErrors.reply(
        catalog.generate(Callers.current(), r.getDocument()),
        result -> {
          var b = GenerateResponse.newBuilder();
          result.applications().forEach(a -> b.addApplicationsJson(a.document().toString()));
          result
              .errors()
              .forEach(
                  e ->
                      b.addErrors(
                          GenerationError.newBuilder()
                              .setLocation(e.location())
                              .setMessage(e.message())));
          return b.build();
        },
        out);
  }

  private static ApplicationSet proto(StoredApplicationSet s) {
    return ApplicationSet.newBuilder()
        .setName(s.name())
        .setProject(ApplicationSetCatalog.projectOf(s.document()))
        .setDocumentJson(s.document().encode())
        .setStatusJson(s.status() == null ? "{}" : s.status().encode())
        .build();
  }
}
