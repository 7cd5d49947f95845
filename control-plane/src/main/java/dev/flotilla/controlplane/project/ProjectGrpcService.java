package dev.flotilla.controlplane.project;

import dev.flotilla.controlplane.access.Callers;
import dev.flotilla.controlplane.api.GrpcErrors;
import dev.flotilla.controlplane.query.LabelSelectors;
import dev.flotilla.controlplane.query.PageRequest;
import dev.flotilla.proto.api.v1.ApplyRequest;
import dev.flotilla.proto.api.v1.Empty;
import dev.flotilla.proto.api.v1.ListProjectsRequest;
import dev.flotilla.proto.api.v1.ListProjectsResponse;
import dev.flotilla.proto.api.v1.Project;
import dev.flotilla.proto.api.v1.ProjectName;
import dev.flotilla.proto.api.v1.ProjectServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code flotilla.api.v1.ProjectService} over the same {@link ProjectCatalog} as REST. */
public final class ProjectGrpcService extends ProjectServiceGrpc.ProjectServiceImplBase {

  private final ProjectCatalog catalog;

  public ProjectGrpcService(ProjectCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public void apply(ApplyRequest r, StreamObserver<Project> out) {
    GrpcErrors.reply(
        catalog.apply(Callers.current(), r.getDocument(), null), ProjectGrpcService::proto, out);
  }

  @Override
  public void get(ProjectName r, StreamObserver<Project> out) {
    GrpcErrors.reply(catalog.get(Callers.current(), r.getName()), ProjectGrpcService::proto, out);
  }

  @Override
  public void list(ListProjectsRequest r, StreamObserver<ListProjectsResponse> out) {
    GrpcErrors.replyChecked(
        () ->
            catalog.list(
                Callers.current(),
                LabelSelectors.parse(r.getLabelSelector(), "label_selector"),
                PageRequest.of(r.getPageSize(), r.getPageToken(), "page_size")),
        p ->
            ListProjectsResponse.newBuilder()
                .addAllProjects(p.items().stream().map(ProjectGrpcService::proto).toList())
                .setNextPageToken(p.nextPageToken())
                .build(),
        out);
  }

  @Override
  public void delete(ProjectName r, StreamObserver<Empty> out) {
    GrpcErrors.reply(
        catalog.delete(Callers.current(), r.getName()), v -> Empty.getDefaultInstance(), out);
  }

  private static Project proto(JsonObject doc) {
    var b =
        Project.newBuilder()
            .setName(doc.getJsonObject("metadata", new JsonObject()).getString("name", ""))
            .setDocumentJson(doc.encode());
    JsonArray repos =
        doc.getJsonObject("spec", new JsonObject()).getJsonArray("sourceRepos", new JsonArray());
    repos.forEach(r -> b.addSourceRepos(String.valueOf(r)));
    return b.build();
  }
}
