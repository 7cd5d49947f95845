package dev.flotilla.controlplane.api;

import dev.flotilla.controlplane.ApiException;
import dev.flotilla.controlplane.appset.ApplicationSetController;
import dev.flotilla.controlplane.appset.ApplicationSetRepository;
import dev.flotilla.controlplane.appset.ApplicationSetRepository.StoredApplicationSet;
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
import io.vertx.core.Future;

/**
 * {@code flotilla.api.v1.ApplicationSetService}, including a dry-run generate that stores nothing.
 */
final class ApplicationSetApi extends ApplicationSetServiceGrpc.ApplicationSetServiceImplBase {

  private final ApplicationSetRepository applicationSets;
  private final ApplicationSetController controller;

  ApplicationSetApi(ApplicationSetRepository applicationSets, ApplicationSetController controller) {
    this.applicationSets = applicationSets;
    this.controller = controller;
  }

  @Override
  public void apply(ApplyRequest r, StreamObserver<ApplicationSet> out) {
    if (r.getDocument().isBlank()) {
      out.onError(GrpcErrors.toStatus(ApiException.invalid("document: empty; send YAML or JSON")));
      return;
    }
    GrpcErrors.reply(
        controller.apply(r.getDocument()).compose(set -> load(set.name())), s -> s, out);
  }

  @Override
  public void get(ApplicationSetName r, StreamObserver<ApplicationSet> out) {
    GrpcErrors.reply(load(r.getName()), s -> s, out);
  }

  @Override
  public void list(ListApplicationSetsRequest r, StreamObserver<ListApplicationSetsResponse> out) {
    GrpcErrors.reply(
        applicationSets.list(),
        all ->
            ListApplicationSetsResponse.newBuilder()
                .addAllApplicationSets(all.stream().map(ApplicationSetApi::proto).toList())
                .build(),
        out);
  }

  @Override
  public void delete(ApplicationSetName r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        controller
            .delete(r.getName())
            .compose(
                deleted ->
                    deleted
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(
                            ApiException.notFound("applicationset", r.getName()))),
        v -> Empty.getDefaultInstance(),
        out);
  }

  @Override
  public void generate(ApplyRequest r, StreamObserver<GenerateResponse> out) {
    GrpcErrors.reply(
        controller.dryRun(r.getDocument()),
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

  private Future<ApplicationSet> load(String name) {
    return applicationSets
        .get(name)
        .compose(
            found ->
                found
                    .map(s -> Future.succeededFuture(proto(s)))
                    .orElseGet(
                        () -> Future.failedFuture(ApiException.notFound("applicationset", name))));
  }

  private static ApplicationSet proto(StoredApplicationSet s) {
    return ApplicationSet.newBuilder()
        .setName(s.name())
        .setDocumentJson(s.document().encode())
        .setStatusJson(s.status() == null ? "{}" : s.status().encode())
        .build();
  }
}
