package dev.flotilla.e2e;

import static dev.flotilla.testkit.TestRepo.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.flotilla.proto.api.v1.Application;
import dev.flotilla.proto.api.v1.ApplicationName;
import dev.flotilla.proto.api.v1.ApplicationServiceGrpc;
import dev.flotilla.proto.api.v1.ApplicationSetServiceGrpc;
import dev.flotilla.proto.api.v1.ApplyRequest;
import dev.flotilla.proto.api.v1.ClusterName;
import dev.flotilla.proto.api.v1.ClusterServiceGrpc;
import dev.flotilla.proto.api.v1.ListApplicationSetsRequest;
import dev.flotilla.proto.api.v1.ListApplicationsRequest;
import dev.flotilla.proto.api.v1.ListClustersRequest;
import dev.flotilla.proto.api.v1.ProjectName;
import dev.flotilla.proto.api.v1.ProjectServiceGrpc;
import dev.flotilla.proto.api.v1.RegisterClusterRequest;
import dev.flotilla.proto.api.v1.SyncApplicationRequest;
import dev.flotilla.proto.api.v1.SyncStatus;
import dev.flotilla.testkit.TestRepo;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The typed platform API (flotilla.api.v1) over a real socket, against a real agent and cluster.
 */
class PlatformApiE2E {

  @TempDir Path tmp;
  private TestRepo repo;
  private Fleet fleet;
  private ManagedChannel channel;

  @BeforeEach
  void setUp() throws Exception {
    repo = new TestRepo(tmp.resolve("repo"));
    repo.write("apps/one/config.yaml", configMap("one-config", "greeting", "hello"));
    repo.write("apps/two/config.yaml", configMap("two-config", "greeting", "hello"));
    repo.commit("apps");
    fleet = new Fleet(tmp.resolve("fleet"), "east");
    channel = fleet.grpcChannel();
  }

  @AfterEach
  void tearDown() throws Exception {
    channel.shutdownNow();
    fleet.close();
    repo.close();
  }

  private CallCredentials admin() {
    return Fleet.bearer(fleet.controlPlane().adminToken().value());
  }

  private String appSet() {
    return AppSets.gitDirectories(repo.url());
  }

  private static Status.Code code(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void everyServiceRefusesCallsWithoutAValidToken() {
    for (CallCredentials creds : List.of(Fleet.bearer("flt_wrong"), Fleet.bearer(""))) {
      assertThat(
              code(
                  () ->
                      ClusterServiceGrpc.newBlockingStub(channel)
                          .withCallCredentials(creds)
                          .list(ListClustersRequest.getDefaultInstance())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(
              code(
                  () ->
                      ApplicationServiceGrpc.newBlockingStub(channel)
                          .withCallCredentials(creds)
                          .list(ListApplicationsRequest.getDefaultInstance())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(
              code(
                  () ->
                      ApplicationSetServiceGrpc.newBlockingStub(channel)
                          .withCallCredentials(creds)
                          .list(ListApplicationSetsRequest.getDefaultInstance())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(
              code(
                  () ->
                      ProjectServiceGrpc.newBlockingStub(channel)
                          .withCallCredentials(creds)
                          .get(ProjectName.newBuilder().setName("x").build())))
          .isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    assertThat(
            code(
                () ->
                    ClusterServiceGrpc.newBlockingStub(channel)
                        .list(ListClustersRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void clustersAreRegisteredListedRotatedAndRemovedWithDocumentedErrors() {
    var clusters = ClusterServiceGrpc.newBlockingStub(channel).withCallCredentials(admin());
    var registered =
        clusters.register(
            RegisterClusterRequest.newBuilder()
                .setName("prod-eu")
                .putLabels("env", "prod")
                .build());
    assertThat(registered.getToken()).startsWith("flt_");
    assertThat(registered.getCluster().getLabelsMap()).containsEntry("env", "prod");

    StatusRuntimeException exists =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                clusters.register(RegisterClusterRequest.newBuilder().setName("prod-eu").build()));
    assertThat(exists.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    StatusRuntimeException invalid =
        org.junit.jupiter.api.Assertions.assertThrows(
            StatusRuntimeException.class,
            () ->
                clusters.register(
                    RegisterClusterRequest.newBuilder().setName("Not A Name").build()));
    assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(invalid.getStatus().getDescription()).startsWith("name:");

    var rotated = clusters.rotateToken(ClusterName.newBuilder().setName("prod-eu").build());
    assertThat(rotated.getToken()).isNotEqualTo(registered.getToken());
    assertThat(clusters.list(ListClustersRequest.getDefaultInstance()).getClustersList())
        .extracting(c -> c.getName())
        .containsExactly("east", "prod-eu");
    clusters.remove(ClusterName.newBuilder().setName("prod-eu").build());
    assertThat(code(() -> clusters.remove(ClusterName.newBuilder().setName("prod-eu").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void applicationsAreListedWithFiltersAndPagesAndWatched() {
    var appSets = ApplicationSetServiceGrpc.newBlockingStub(channel).withCallCredentials(admin());
    var dryRun = appSets.generate(ApplyRequest.newBuilder().setDocument(appSet()).build());
    assertThat(dryRun.getApplicationsJsonList()).hasSize(2);
    assertThat(dryRun.getErrorsList()).isEmpty();
    assertThat(fleet.applications()).as("a dry run stores nothing").isEmpty();

    appSets.apply(ApplyRequest.newBuilder().setDocument(appSet()).build());
    fleet.awaitSynced("one", "two");

    var apps = ApplicationServiceGrpc.newBlockingStub(channel).withCallCredentials(admin());
    var first = apps.list(ListApplicationsRequest.newBuilder().setPageSize(1).build());
    assertThat(first.getApplicationsList()).extracting(Application::getName).containsExactly("one");
    var second =
        apps.list(
            ListApplicationsRequest.newBuilder()
                .setPageSize(1)
                .setPageToken(first.getNextPageToken())
                .build());
    assertThat(second.getApplicationsList())
        .extracting(Application::getName)
        .containsExactly("two");
    assertThat(second.getNextPageToken()).isEmpty();
    assertThat(
            apps.list(ListApplicationsRequest.newBuilder().setCluster("west").build())
                .getApplicationsList())
        .isEmpty();
    Application one = apps.get(ApplicationName.newBuilder().setName("one").build());
    assertThat(one.getSyncStatus()).isEqualTo(SyncStatus.SYNC_STATUS_SYNCED);
    assertThat(one.getSpecJson()).contains("\"path\":\"apps/one\"");
    assertThat(code(() -> apps.get(ApplicationName.newBuilder().setName("nope").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    apps.sync(
                        SyncApplicationRequest.newBuilder()
                            .setName("one")
                            .setRevision("0123456789abcdef0123456789abcdef01234567")
                            .build())))
        .as("rollback while automated")
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(
            code(() -> apps.list(ListApplicationsRequest.newBuilder().setPageSize(5000).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);

    List<Application> seen = new CopyOnWriteArrayList<>();
    ApplicationServiceGrpc.newStub(channel)
        .withCallCredentials(admin())
        .watch(
            ListApplicationsRequest.newBuilder().setProject("default").build(),
            new StreamObserver<>() {
              @Override
              public void onNext(Application a) {
                seen.add(a);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
    fleet.cluster("east").client().configMaps().inNamespace("one").withName("one-config").delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> seen.size() > 2 && seen.get(seen.size() - 1).getName().equals("one"));
  }

  @Test
  void reflectionListsThePlatformServices() throws Exception {
    List<String> services = new CopyOnWriteArrayList<>();
    var done = new java.util.concurrent.CountDownLatch(1);
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    r.getListServicesResponse()
                        .getServiceList()
                        .forEach(s -> services.add(s.getName()));
                    done.countDown();
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.countDown();
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    await().atMost(Duration.ofSeconds(10)).until(() -> done.getCount() == 0);
    requests.onCompleted();
    assertThat(services)
        .contains(
            "flotilla.api.v1.ClusterService",
            "flotilla.api.v1.ApplicationService",
            "flotilla.api.v1.ApplicationSetService",
            "flotilla.api.v1.ProjectService",
            "flotilla.agent.v1.AgentService",
            "grpc.health.v1.Health");
  }

  @Test
  void projectsInUseCannotBeDeleted() {
    var projects = ProjectServiceGrpc.newBlockingStub(channel).withCallCredentials(admin());
    projects.apply(
        ApplyRequest.newBuilder()
            .setDocument(
                "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: default}\n"
                    + "spec: {sourceRepos: ['*'], destinations: [{name: '*', namespace: '*'}]}\n")
            .build());
    ApplicationSetServiceGrpc.newBlockingStub(channel)
        .withCallCredentials(admin())
        .apply(ApplyRequest.newBuilder().setDocument(appSet()).build());
    assertThat(code(() -> projects.delete(ProjectName.newBuilder().setName("default").build())))
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThatThrownBy(
            () ->
                projects.apply(ApplyRequest.newBuilder().setDocument("kind: AppProject\n").build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("INVALID_ARGUMENT")
        .hasMessageContaining("apiVersion");
    assertThat(
            projects.get(ProjectName.newBuilder().setName("default").build()).getSourceReposList())
        .containsExactly("*");
  }
}
